import { useState, type ReactNode } from 'react';
import { App, Button, Space, Tooltip } from 'antd';
import { CopyOutlined, FileExcelOutlined, FileTextOutlined } from '@ant-design/icons';
import { EXPORT_ERRAND_ROUTES, STAFF_ROUTES, type ErrandExportQuery } from '@linli/contracts';
import { useSession } from '../session-context';
import { fetchFile, fetchText } from '../api/client';
import { messageOf } from '../api/errors';

/** Which rows the list shows, as the BFF's export routes take them. */
export type ExportQuery = Partial<Record<keyof ErrandExportQuery, string | number | undefined>>;

/** The WeChat group the list belongs to: one building or one compound. */
export type GroupTarget = { buildingId: number } | { compoundId: number };

export interface ListToolbarProps {
  /** Sent to /staff/exports/errands.{csv,xlsx}; a page without errand rows can give its own exporter. */
  exportQuery?: ExportQuery;
  /** Which WeChat group's text 复制到群 copies: null = none chosen yet (the button says so); absent = the list has no group (no button). */
  group?: GroupTarget | null;
  /** The CSV of a list that is not errands (the ledgers), built from the BFF's pages on the client. */
  exportOwn?: () => Promise<{ blob: Blob; fileName: string }>;
  baseName: string;
  children?: ReactNode;
}

/** Hands a Blob to the browser as a download (no new tab, no server round-trip). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Every list page's toolbar: CSV and XLSX exports and 复制到群, each one click, each showing
 * progress while it waits and a Chinese message that says what to do when it fails.
 */
export function ListToolbar({ exportQuery, group, exportOwn, baseName, children }: ListToolbarProps) {
  const { access } = useSession();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<'csv' | 'xlsx' | 'copy' | null>(null);

  async function download(format: 'csv' | 'xlsx') {
    setBusy(format);
    try {
      if (exportOwn) {
        const own = await exportOwn();
        saveBlob(own.blob, own.fileName);
      } else {
        const { blob, fileName } = await fetchFile(EXPORT_ERRAND_ROUTES[format], exportQuery);
        saveBlob(blob, fileName ?? `${baseName}.${format}`);
      }
      message.success(`已导出 ${format.toUpperCase()}，请在浏览器的下载列表里查看`);
    } catch (e) {
      message.error(`导出失败：${messageOf(e)}`);
    } finally {
      setBusy(null);
    }
  }

  async function copyToGroup() {
    if (!group) return;
    setBusy('copy');
    try {
      const text = await fetchText(STAFF_ROUTES.exportWechatGroup, group);
      if (!text.trim()) {
        message.info('这里暂时没有等待接单的代办，不用发群');
        return;
      }
      await navigator.clipboard.writeText(text);
      message.success(`已复制 ${text.trim().split('\n').length} 行，请到微信群里粘贴`);
    } catch (e) {
      message.error(e instanceof DOMException ? '浏览器不允许复制：请点地址栏的权限图标允许“剪贴板”后再试' : `复制失败：${messageOf(e)}`);
    } finally {
      setBusy(null);
    }
  }

  const canExport = access?.can('export') ?? false;
  const canCopy = access?.can('copyToGroup') ?? false;
  return (
    <Space wrap data-testid="list-toolbar">
      {children}
      {canExport && (
        <>
          <Button icon={<FileTextOutlined />} loading={busy === 'csv'} disabled={busy !== null} onClick={() => void download('csv')}>
            导出 CSV
          </Button>
          {/* A list's own export is CSV (it opens in Excel); errands have the server's XLSX too. */}
          {!exportOwn && (
            <Button icon={<FileExcelOutlined />} loading={busy === 'xlsx'} disabled={busy !== null} onClick={() => void download('xlsx')}>
              导出 Excel
            </Button>
          )}
        </>
      )}
      {canCopy && group !== undefined && (
        <Tooltip title={group ? '复制等待接单的代办，粘贴到楼栋微信群' : '请先选择一个小区或一栋楼'}>
          <Button icon={<CopyOutlined />} loading={busy === 'copy'} disabled={!group || busy !== null} onClick={() => void copyToGroup()}>
            复制到群
          </Button>
        </Tooltip>
      )}
    </Space>
  );
}
