import { CreateErrandBody, ErrandItem, ReasonBody } from '@linli/contracts';

// Input lengths read from the contracts' own schemas, so a field never accepts more than the BFF
// would (Taro's Input takes 140 characters unless told otherwise).
export const ITEM_NAME_MAX = ErrandItem.shape.name.maxLength ?? undefined;
export const NOTES_MAX = CreateErrandBody.shape.notes.unwrap().maxLength ?? undefined;
export const REASON_MAX = ReasonBody.shape.reason.maxLength ?? undefined;
