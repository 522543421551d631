import { CreateErrandBody, ErrandItem, HouseholdInput, ReasonBody } from '@linli/contracts';

// Input lengths read from the contracts' own schemas, so a field never accepts more than the BFF
// would (Taro's Input takes 140 characters unless told otherwise).
export const ITEM_NAME_MAX = ErrandItem.shape.name.maxLength ?? undefined;
export const NOTES_MAX = CreateErrandBody.shape.notes.unwrap().maxLength ?? undefined;
export const REASON_MAX = ReasonBody.shape.reason.maxLength ?? undefined;

/** The household's text fields; the phone is 11 digits (its pattern, which has no max length). */
export const HOUSEHOLD_MAX: Record<'unit' | 'floor' | 'room' | 'contactName' | 'phone', number | undefined> = {
  unit: HouseholdInput.shape.unit.maxLength ?? undefined,
  floor: undefined,
  room: HouseholdInput.shape.room.maxLength ?? undefined,
  contactName: HouseholdInput.shape.contactName.maxLength ?? undefined,
  phone: 11,
};
