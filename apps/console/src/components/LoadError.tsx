import { Alert, Button } from 'antd';

/** A failed load: the Chinese message from the client (it says what to do) and a 重新加载 button. */
export function LoadError({ message, onRetry }: { message: string; onRetry(): void }) {
  return (
    <Alert
      type="error"
      showIcon
      title="没有加载出来"
      description={message}
      action={
        <Button size="small" onClick={onRetry}>
          重新加载
        </Button>
      }
      style={{ marginBottom: 12 }}
    />
  );
}
