import { Button, Space, Typography } from 'antd';
import type { useCursorPages } from './useCursorPages';

type Pages = Pick<ReturnType<typeof useCursorPages>, 'pageNumber' | 'hasNext' | 'loading' | 'previous' | 'next'>;

/** 上一页 / 下一页 under a cursor-paged table (the server pages; the table never holds 5,000 rows). */
export function CursorPager({ pages, total }: { pages: Pages; total?: number }) {
  return (
    <Space style={{ marginTop: 12 }}>
      <Button disabled={pages.pageNumber <= 1 || pages.loading} onClick={pages.previous}>
        上一页
      </Button>
      <Typography.Text>
        第 {pages.pageNumber} 页{total !== undefined ? `，共 ${total} 条` : ''}
      </Typography.Text>
      <Button disabled={!pages.hasNext || pages.loading} onClick={pages.next}>
        下一页
      </Button>
    </Space>
  );
}
