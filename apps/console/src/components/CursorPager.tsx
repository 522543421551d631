import { Button, Space, Typography } from 'antd';

/** 上一页 / 下一页 under a cursor-paged table (the server pages; the table never holds 5,000 rows). */
export function CursorPager(props: {
  pageNumber: number;
  hasNext: boolean;
  loading: boolean;
  onPrevious(): void;
  onNext(): void;
  total?: number;
}) {
  return (
    <Space style={{ marginTop: 12 }}>
      <Button disabled={props.pageNumber <= 1 || props.loading} onClick={props.onPrevious}>
        上一页
      </Button>
      <Typography.Text>
        第 {props.pageNumber} 页{props.total !== undefined ? `，共 ${props.total} 条` : ''}
      </Typography.Text>
      <Button disabled={!props.hasNext || props.loading} onClick={props.onNext}>
        下一页
      </Button>
    </Space>
  );
}
