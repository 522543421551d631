import { Empty } from 'antd';
import ReactEChartsCoreModule from 'echarts-for-react/lib/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

// Only what these charts draw goes into the bundle (echarts/core + use), not all of ECharts.
echarts.use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

const HEIGHT = 260;
// echarts-for-react ships CommonJS with `exports.default`: the Vite build hands over the module
// object, jest (swc interop) the component; take the component either way.
const ReactEChartsCore =
  (ReactEChartsCoreModule as unknown as { default?: typeof ReactEChartsCoreModule }).default ?? ReactEChartsCoreModule;

function Chart({ option, label }: { option: EChartsCoreOption; label: string }) {
  return (
    <div role="img" aria-label={label}>
      <ReactEChartsCore echarts={echarts} option={option} style={{ height: HEIGHT }} notMerge opts={{ renderer: 'svg' }} />
    </div>
  );
}

/** In a chart's place when it has nothing to draw: bare axes read as a page that failed to load. */
function NothingToDraw({ label, words }: { label: string; words: string }) {
  return (
    <div role="group" aria-label={label} style={{ height: HEIGHT, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={words} />
    </div>
  );
}

/** Two or more series over the periods, as lines; `emptyText` when no period has a value. */
export function LinesChart(props: {
  label: string;
  x: string[];
  series: { name: string; data: (number | null)[] }[];
  unit?: string;
  /** A point as its tooltip says it (the plotted number, by default). */
  valueText?: (point: number) => string;
  emptyText: string;
}) {
  if (!props.series.some((s) => s.data.some((v) => v !== null))) return <NothingToDraw label={props.label} words={props.emptyText} />;
  return (
    <Chart
      label={props.label}
      option={{
        tooltip: {
          trigger: 'axis',
          valueFormatter: (v: unknown) =>
            typeof v === 'number' ? `${props.valueText ? props.valueText(v) : String(v)}${props.unit ?? ''}` : '—',
        },
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 32, bottom: 28 },
        xAxis: { type: 'category', data: props.x },
        // Counts, whole minutes and whole percents: no 0.5 ticks.
        yAxis: { type: 'value', name: props.unit, minInterval: 1 },
        series: props.series.map((s) => ({ type: 'line', name: s.name, data: s.data, smooth: true, connectNulls: true })),
      }}
    />
  );
}

/** Categories as horizontal bars (long Chinese names read better on the y axis); `emptyText` with none. */
export function BarsChart(props: { label: string; names: string[]; series: { name: string; data: number[] }[]; emptyText: string }) {
  if (props.names.length === 0) return <NothingToDraw label={props.label} words={props.emptyText} />;
  return (
    <Chart
      label={props.label}
      option={{
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 88, right: 16, top: 32, bottom: 24 },
        xAxis: { type: 'value', minInterval: 1 }, // errands are counted whole: no 0.5 ticks
        yAxis: { type: 'category', data: props.names, inverse: true },
        series: props.series.map((s) => ({ type: 'bar', name: s.name, data: s.data })),
      }}
    />
  );
}
