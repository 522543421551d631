import { z } from 'zod';
import { HouseholdInput, HouseholdView } from './auth';
import { CareAssignBody, CareAssignment, CareHouseholdParams, CarePage, CareQuery } from './care';
import { ErrandIdParams, ErrorBody, Id, Ok } from './common';
import { DutyPhoneBody, HouseholdChangeDecision, HouseholdChangeList } from './contact';
import { AssignBody, ErrandView, ReasonBody } from './errands';
import { ErrandExportQuery, ImportBatchParams, ImportCommitResult, ImportReport, WechatGroupQuery, type ImportKind } from './lists';
import { AuditPage, AuditQuery } from './oversight';
import { ERRORS, FileBody, route, type ApiRoute } from './route';
import { CompoundIdParams, HelperIdParams, HelperList, HelperSummary, HelperZones, HelperZonesBody, LockdownBody } from './staff';
import { StaffErrandHistory, StaffErrandsQuery, StaffQueue, StaffQueueQuery, VerifyHelperBody } from './staff';
import { Ledger, LedgerQuery, StatsQuery, StatsReport } from './stats';

/** A numeric record id in the path (households, household changes). */
export const IdParams = z.object({ id: Id });

const READ_ERRORS = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody } as const;
const COMMUNITY_ERRORS = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody } as const;
const CSV = 'CSV (UTF-8 with BOM, opens in Excel)';

const exportErrands = (format: 'csv' | 'xlsx') =>
  route({
    method: 'GET',
    path: `/api/v1/staff/exports/errands.${format}`,
    summary: `Errands of the caller's scope as ${format.toUpperCase()}`,
    description: `Errands of the caller's scope (open queue and closed history) as ${format === 'csv' ? CSV : 'XLSX'}, streamed page by page; audited. Street and district staff get names and phones masked.`,
    tags: ['staff'],
    querystring: ErrandExportQuery,
    response: { 200: FileBody(`the ${format} file`), ...READ_ERRORS },
  });

const uploadList = (kind: ImportKind) =>
  route({
    method: 'POST',
    path: `/api/v1/staff/imports/${kind}`,
    summary: `Upload a ${kind} list to check`,
    description: `Upload a ${kind} list (one file field, .xlsx or .csv, at most lists.importMaxBytes bytes). Every row is validated; the answer reports row errors in Chinese and a batch to commit when there are none. Nothing is changed yet.`,
    tags: ['staff'],
    consumes: ['multipart/form-data'],
    response: { 200: ImportReport, 400: ErrorBody, 403: ErrorBody, 413: ErrorBody, 415: ErrorBody },
  });

const importTemplate = (kind: ImportKind, format: 'csv' | 'xlsx') =>
  route({
    method: 'GET',
    path: `/api/v1/staff/imports/${kind}/template.${format}`,
    summary: `The ${kind} import template (${format})`,
    description: `The ${kind} import template (headers and one example row).`,
    tags: ['staff'],
    response: { 200: FileBody(`the ${format} file`), 403: ErrorBody },
  });

/** Community staff's routes, and street/district staff's reading of their scope. */
export const STAFF_ROUTES = {
  staffQueue: route({
    method: 'GET',
    path: '/api/v1/staff/queue',
    summary: 'Open errands, most pressing first',
    description: 'Open errands, most pressing first; street and district staff read their scope (read-only).',
    tags: ['staff'],
    querystring: StaffQueueQuery,
    response: { 200: StaffQueue, ...READ_ERRORS },
  }),
  staffErrands: route({
    method: 'GET',
    path: '/api/v1/staff/errands',
    summary: 'History and search over open and closed errands',
    description:
      'History and search over open and closed errands, newest first: filters, and q = name, last 4 phone digits, door (3-2-601) or errand id.',
    tags: ['staff'],
    querystring: StaffErrandsQuery,
    response: { 200: StaffErrandHistory, ...READ_ERRORS },
  }),
  assignErrand: route({
    method: 'POST',
    path: '/api/v1/staff/errands/:id/assign',
    summary: 'Assign an errand to a helper',
    tags: ['staff'],
    params: ErrandIdParams,
    body: AssignBody,
    response: { 200: ErrandView, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody },
  }),
  staffDeliver: route({
    method: 'POST',
    path: '/api/v1/staff/errands/:id/deliver',
    summary: 'Mark an errand delivered on the helper’s behalf, with a reason',
    tags: ['staff'],
    params: ErrandIdParams,
    body: ReasonBody,
    response: { 200: ErrandView, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
  }),

  staffHelpers: route({
    method: 'GET',
    path: '/api/v1/staff/helpers',
    summary: 'Helpers of the community',
    tags: ['staff'],
    response: { 200: HelperList },
  }),
  verifyHelper: route({
    method: 'POST',
    path: '/api/v1/staff/helpers/:id/verify',
    summary: 'Verify a helper or withdraw it',
    tags: ['staff'],
    params: HelperIdParams,
    body: VerifyHelperBody,
    response: { 200: HelperSummary },
  }),
  setHelperZones: route({
    method: 'PUT',
    path: '/api/v1/staff/helpers/:id/zones',
    summary: "Set a helper's buildings",
    description: 'Set the buildings a helper of the community answers for (audited).',
    tags: ['staff'],
    params: HelperIdParams,
    body: HelperZonesBody,
    response: { 200: HelperZones, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody },
  }),

  setLockdown: route({
    method: 'PUT',
    path: '/api/v1/staff/compounds/:id/lockdown',
    summary: 'Open, control or close a compound',
    tags: ['staff'],
    params: CompoundIdParams,
    body: LockdownBody,
    response: { 200: Ok, ...COMMUNITY_ERRORS },
  }),
  setDutyPhone: route({
    method: 'PUT',
    path: '/api/v1/staff/community',
    summary: "Set the community's duty phone",
    tags: ['staff'],
    body: DutyPhoneBody,
    response: { 200: Ok, ...COMMUNITY_ERRORS },
  }),
  editHousehold: route({
    method: 'PUT',
    path: '/api/v1/staff/households/:id',
    summary: 'Edit a household',
    tags: ['staff'],
    params: IdParams,
    body: HouseholdInput,
    response: { 200: HouseholdView, ...COMMUNITY_ERRORS },
  }),
  householdChanges: route({
    method: 'GET',
    path: '/api/v1/staff/household-changes',
    summary: 'Household changes waiting for a decision',
    tags: ['staff'],
    response: { 200: HouseholdChangeList, ...COMMUNITY_ERRORS },
  }),
  decideHouseholdChange: route({
    method: 'POST',
    path: '/api/v1/staff/household-changes/:id',
    summary: 'Approve or refuse a household change',
    tags: ['staff'],
    params: IdParams,
    body: HouseholdChangeDecision,
    response: { 200: Ok, ...COMMUNITY_ERRORS },
  }),

  careList: route({
    method: 'GET',
    path: '/api/v1/staff/care',
    summary: 'The 包保 care ledger',
    tags: ['staff'],
    querystring: CareQuery,
    response: { 200: CarePage, ...ERRORS },
  }),
  assignCare: route({
    method: 'PUT',
    path: '/api/v1/staff/care/:id',
    summary: 'Assign a household to a helper’s care',
    tags: ['staff'],
    params: CareHouseholdParams,
    body: CareAssignBody,
    response: { 200: CareAssignment, ...ERRORS },
  }),
  endCare: route({
    method: 'DELETE',
    path: '/api/v1/staff/care/:id',
    summary: 'End the care of a household',
    tags: ['staff'],
    params: CareHouseholdParams,
    response: { 200: Ok, ...ERRORS },
  }),

  audit: route({
    method: 'GET',
    path: '/api/v1/staff/audit',
    summary: 'Staff actions, newest first',
    description:
      'Staff actions (who, when, why, before/after), newest first. Community staff read their community, street and district staff their scope; pass nextCursor back as cursor for the next page.',
    tags: ['staff'],
    querystring: AuditQuery,
    response: { 200: AuditPage, 403: ErrorBody, 404: ErrorBody },
  }),
  stats: route({
    method: 'GET',
    path: '/api/v1/staff/stats',
    summary: 'Statistics per day or week',
    description:
      'Statistics per day or week (Asia/Shanghai calendar): created, delivered (and within the SLA tier), completed, cancelled, escalated, each counted on the day it happened; time to accept and to deliver (p50/p90) of the errands delivered, read from log-scale histograms and exact to one bucket (the value is the upper edge of its bucket, at most about 24% above the exact one); by category, compound and helper; active helpers; households served (vulnerable apart). Community staff see their community; street and district staff their scope, or one community of it.',
    tags: ['staff'],
    querystring: StatsQuery,
    response: { 200: StatsReport, ...READ_ERRORS },
  }),
  ledger: route({
    method: 'GET',
    path: '/api/v1/staff/ledger',
    summary: 'The service-hours ledger for a month',
    description:
      'The service-hours ledger (服务时长台账) for a month: per helper, errands done, hours on duty, delivery durations (accepted → delivered: average, p50/p90 as in the statistics) and thanks received. Same scope as the statistics.',
    tags: ['staff'],
    querystring: LedgerQuery,
    response: { 200: Ledger, ...READ_ERRORS },
  }),

  exportErrandsCsv: exportErrands('csv'),
  exportErrandsXlsx: exportErrands('xlsx'),
  exportWechatGroup: route({
    method: 'GET',
    path: '/api/v1/staff/exports/wechat-group.txt',
    summary: 'Waiting errands of a building or compound as lines for its WeChat group',
    description:
      'Errands waiting for a helper in one building or compound, one line each (building, floor, goods, waiting time) to paste into its WeChat group. No names, rooms or phones.',
    tags: ['staff'],
    querystring: WechatGroupQuery,
    response: { 200: FileBody('plain text, one line an errand'), ...READ_ERRORS },
  }),
  uploadHouseholds: uploadList('households'),
  uploadHelpers: uploadList('helpers'),
  householdsTemplateCsv: importTemplate('households', 'csv'),
  householdsTemplateXlsx: importTemplate('households', 'xlsx'),
  helpersTemplateCsv: importTemplate('helpers', 'csv'),
  helpersTemplateXlsx: importTemplate('helpers', 'xlsx'),
  commitImport: route({
    method: 'POST',
    path: '/api/v1/staff/imports/:id/commit',
    summary: 'Apply an uploaded batch',
    description:
      'Applies an uploaded batch in one transaction (households by building + unit + room, helpers by phone). A batch with any invalid row is refused; committing twice applies nothing the second time.',
    tags: ['staff'],
    params: ImportBatchParams,
    response: { 200: ImportCommitResult, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody },
  }),
} as const satisfies Record<string, ApiRoute>;

/** The export and import routes by format and kind, for code that serves or calls them in a loop. */
export const EXPORT_ERRAND_ROUTES = { csv: STAFF_ROUTES.exportErrandsCsv, xlsx: STAFF_ROUTES.exportErrandsXlsx } as const;
export const IMPORT_UPLOAD_ROUTES = { households: STAFF_ROUTES.uploadHouseholds, helpers: STAFF_ROUTES.uploadHelpers } as const;
export const IMPORT_TEMPLATE_ROUTES = {
  households: { csv: STAFF_ROUTES.householdsTemplateCsv, xlsx: STAFF_ROUTES.householdsTemplateXlsx },
  helpers: { csv: STAFF_ROUTES.helpersTemplateCsv, xlsx: STAFF_ROUTES.helpersTemplateXlsx },
} as const;
