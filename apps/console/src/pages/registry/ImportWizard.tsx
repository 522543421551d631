import { useState } from 'react';
import { Alert, Button, Radio, Result, Space, Steps, Table, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import {
  IMPORT_TEMPLATE_ROUTES,
  IMPORT_UPLOAD_ROUTES,
  STAFF_ROUTES,
  type ImportCommitResult,
  type ImportKind,
  type ImportReport,
} from '@linli/contracts';
import { callRoute, fetchFile, uploadFile } from '../../api/client';
import { messageOf } from '../../api/errors';
import { saveBlob } from '../../components/ListToolbar';

const KIND_LABELS: Record<ImportKind, string> = { households: '住户名单', helpers: '党员中心户/志愿者名单' };

/**
 * Upload → validation report (row errors in Chinese, from the BFF) → commit. Nothing changes
 * until 确认导入; a file with any bad row cannot be committed, so the desk fixes the sheet first.
 */
export function ImportWizard() {
  const [kind, setKind] = useState<ImportKind>('households');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [result, setResult] = useState<ImportCommitResult | null>(null);
  const [busy, setBusy] = useState<'upload' | 'commit' | 'template' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const step = result ? 2 : report ? 1 : 0;

  async function upload(file: File) {
    setBusy('upload');
    setError(null);
    try {
      setReport(await uploadFile(IMPORT_UPLOAD_ROUTES[kind], file, file.name));
    } catch (e) {
      setError(`上传没有成功：${messageOf(e)}`);
    } finally {
      setBusy(null);
    }
  }

  async function commit() {
    if (!report) return;
    setBusy('commit');
    setError(null);
    try {
      setResult(await callRoute(STAFF_ROUTES.commitImport, { params: { id: report.batchId } }));
    } catch (e) {
      setError(`导入没有完成，名单未改动：${messageOf(e)}`);
    } finally {
      setBusy(null);
    }
  }

  async function template(format: 'csv' | 'xlsx') {
    setBusy('template');
    try {
      const { blob, fileName } = await fetchFile(IMPORT_TEMPLATE_ROUTES[kind][format]);
      saveBlob(blob, fileName ?? `${KIND_LABELS[kind]}模板.${format}`);
    } catch (e) {
      setError(`模板下载失败：${messageOf(e)}`);
    } finally {
      setBusy(null);
    }
  }

  const restart = () => {
    setReport(null);
    setResult(null);
    setError(null);
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Steps current={step} items={[{ title: '上传文件' }, { title: '检查结果' }, { title: '完成' }]} />
      {error && <Alert type="error" showIcon title={error} />}
      {step === 0 && (
        <>
          <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as ImportKind)} optionType="button" buttonStyle="solid">
            <Radio.Button value="households">{KIND_LABELS.households}</Radio.Button>
            <Radio.Button value="helpers">{KIND_LABELS.helpers}</Radio.Button>
          </Radio.Group>
          <Space>
            <Typography.Text>先下载模板，按模板填写：</Typography.Text>
            <Button size="small" disabled={busy !== null} onClick={() => void template('xlsx')}>
              Excel 模板
            </Button>
            <Button size="small" disabled={busy !== null} onClick={() => void template('csv')}>
              CSV 模板
            </Button>
          </Space>
          <Upload
            accept=".xlsx,.csv"
            showUploadList={false}
            beforeUpload={(file) => {
              void upload(file);
              return false;
            }}
          >
            <Button type="primary" icon={<UploadOutlined />} loading={busy === 'upload'}>
              {busy === 'upload' ? '正在上传并检查…' : `选择${KIND_LABELS[kind]}文件（.xlsx / .csv）`}
            </Button>
          </Upload>
        </>
      )}
      {step === 1 && report && (
        <>
          <Alert
            type={report.committable ? 'success' : 'warning'}
            showIcon
            title={
              report.committable
                ? `检查通过：${report.valid} 行可以导入`
                : `有 ${report.invalid} 行需要修改（${report.valid} 行没有问题）：请按下表改好表格后重新上传`
            }
          />
          {report.errors.length > 0 && (
            <Table
              size="small"
              rowKey={(e) => `${e.row}-${e.column}`}
              dataSource={report.errors}
              pagination={{ pageSize: 10, showSizeChanger: false }}
              columns={[
                { title: '行号', dataIndex: 'row', width: 80 },
                { title: '列', dataIndex: 'column', width: 140 },
                { title: '问题', dataIndex: 'message' },
              ]}
            />
          )}
          <Space>
            <Button onClick={restart}>重新上传</Button>
            <Button type="primary" disabled={!report.committable} loading={busy === 'commit'} onClick={() => void commit()}>
              确认导入 {report.valid} 行
            </Button>
          </Space>
        </>
      )}
      {step === 2 && result && (
        <Result
          status="success"
          title={
            result.applied ? `导入完成：新增 ${result.inserted} 条，更新 ${result.updated} 条` : '这批名单之前已经导入过，没有重复导入'
          }
          extra={<Button onClick={restart}>再导入一份</Button>}
        />
      )}
    </Space>
  );
}
