import { Result } from 'antd';

/** Stands in for a page another change builds; says so instead of pretending to work. */
export function UnderConstruction({ title }: { title: string }) {
  return <Result status="info" title={`${title}：建设中`} subTitle="这一页正在开发，暂时请在小程序的社区工作人员页面处理。" />;
}
