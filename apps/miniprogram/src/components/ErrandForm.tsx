import { View, Text, Input, Textarea } from '@tarojs/components';
import { Button, InputNumber } from '@nutui/nutui-react-taro';
import Taro from '@tarojs/taro';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { CATEGORY_LABELS, ERRAND_CATEGORIES, type ErrandView, type HouseholdInput } from '@linli/contracts';
import { api } from '../api/client';
import { ApiError, messageOf } from '../api/errors';
import { SubmissionKeys } from '../api/idempotency';
import { askConsent, useConsent } from '../notify/subscribe';
import { ITEM_PLACEHOLDERS, WINDOW_OPTIONS, bodyOf, newDraft, validate, type ErrandDraft } from '../lib/errand-draft';
import { ITEM_NAME_MAX, NOTES_MAX } from '../lib/limits';
import { useSingleFlight } from '../hooks/useAction';
import { ActionButton } from './ActionButton';
import { Choices } from './Choices';

interface Props {
  draft: ErrandDraft;
  onDraftChange: (draft: ErrandDraft) => void;
  /** Submitting for a neighbour: their household, validated with the errand. */
  onBehalfOf?: HouseholdInput;
  /** Fields shown above the errand (the neighbour's address), given the validation messages. */
  before?: (errors: Record<string, string>) => ReactNode;
  onCreated: (errand: ErrandView) => void;
}

const CATEGORY_OPTIONS = ERRAND_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }));

export function ErrandForm({ draft, onDraftChange, onBehalfOf, before, onCreated }: Props) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [submitError, setSubmitError] = useState<string | null>(null);
  // Bumped by a submit that found something missing: once the messages are drawn, the page goes to the first.
  const [missingShown, setMissingShown] = useState(0);
  const flight = useSingleFlight();
  const keys = useRef(new SubmissionKeys());
  const consentAskedFor = useRef<string | null>(null);
  // The template ids must be known before the tap that asks.
  useConsent('resident-errand');

  useEffect(() => {
    // The 提交 button is at the bottom of a long form and the red words are above it, off the
    // screen: without this, a tap on 提交 seemed to do nothing. Room above for the field's label.
    if (missingShown > 0)
      Taro.pageScrollTo({ selector: '.errand-form .error-text', offsetTop: -140, duration: 300 }).catch(() => undefined);
  }, [missingShown]);

  const set = (patch: Partial<ErrandDraft>) => onDraftChange({ ...draft, ...patch });
  const setItem = (index: number, patch: Partial<ErrandDraft['items'][number]>) =>
    set({ items: draft.items.map((item, i) => (i === index ? { ...item, ...patch } : item)) });

  async function submit() {
    // A second tap while the first is on its way (or after it succeeded, while the page is being
    // left) is ignored before anything else happens.
    if (flight.isBusy()) return;
    const body = { ...bodyOf(draft), ...(onBehalfOf ? { onBehalfOf } : {}) };
    const found = validate(body);
    setErrors(found);
    setSubmitError(null);
    if (Object.keys(found).length > 0) {
      setMissingShown((n) => n + 1);
      return;
    }
    // The same body keeps its key, so pressing 重新提交 after a timeout cannot make two errands.
    const key = keys.current.keyFor(body);
    // Still inside the tap (validation is synchronous), so WeChat will show its dialog. Asked
    // after validation: a form that cannot be sent should not raise a dialog about its news.
    // WeChat counts consent per person and template, not per errand, so 重新提交 of the same
    // body does not ask twice. An errand typed in for a neighbour has no WeChat user to tell
    // (the BFF sends nothing), so the helper typing it is not asked.
    const consent = onBehalfOf || consentAskedFor.current === key ? undefined : askConsent('resident-errand');
    consentAskedFor.current = key;
    try {
      // The answer is awaited before creating (askConsent never rejects and gives up after 10 s):
      // a neighbour may accept within seconds of the submit, and consent given after that comes
      // too late for the 已接单 message; it also keeps WeChat's dialog from being left over the
      // errand page the form navigates to.
      // Held after success: the form is being left, and its key stays with it (never reset
      // here), so nothing can send this errand a second time under a new key.
      const created = await flight.run(
        'submit',
        async () => {
          await consent;
          return api.createErrand(body, key);
        },
        true,
      );
      keys.current.settle(key, true);
      if (created) onCreated(created);
    } catch (e) {
      const unanswered = e instanceof ApiError && e.retriable;
      keys.current.settle(key, !unanswered);
      setSubmitError(
        unanswered
          ? `${messageOf(e)}。可以点“重新提交”，不会重复下单。`
          : e instanceof ApiError && e.code === 'IDEMPOTENCY_KEY_REUSED'
            ? // The unanswered attempt had landed after all, with what was on the form then.
              '刚才那次提交其实已经成功了，请到“全部代办”查看，不会重复下单。'
            : messageOf(e),
      );
    }
  }

  return (
    <View className="errand-form">
      {before?.(errors)}
      <View className="card">
        <View className="field-label">要办什么</View>
        <Choices
          label="类别"
          options={CATEGORY_OPTIONS}
          value={draft.category}
          onChange={(c) => onDraftChange({ ...newDraft(c), notes: draft.notes })}
        />
      </View>
      <View className="card">
        <View className="field-label">物品和数量</View>
        {draft.items.map((item, index) => (
          <View key={index} className="field">
            <View className="row">
              <Input
                className="text-input item-name"
                aria-label={`物品${index + 1}名称`}
                placeholder={ITEM_PLACEHOLDERS[draft.category]}
                maxlength={ITEM_NAME_MAX}
                value={item.name}
                onInput={(e) => setItem(index, { name: e.detail.value })}
              />
              <InputNumber min={1} max={99} value={item.quantity} onChange={(v) => setItem(index, { quantity: Number(v) })} />
            </View>
            {errors[`items.${index}.name`] ? <Text className="error-text">{errors[`items.${index}.name`]}</Text> : null}
            {errors[`items.${index}.quantity`] ? <Text className="error-text">{errors[`items.${index}.quantity`]}</Text> : null}
            {draft.items.length > 1 ? (
              <Text className="muted linli-tap" onClick={() => set({ items: draft.items.filter((_, i) => i !== index) })}>
                删除这一项
              </Text>
            ) : null}
          </View>
        ))}
        {errors.items ? <Text className="error-text">{errors.items}</Text> : null}
        <Button size="normal" fill="outline" onClick={() => set({ items: [...draft.items, { name: '', quantity: 1 }] })}>
          再加一样
        </Button>
      </View>
      <View className="card">
        <View className="field">
          <View className="field-label">东西重吗（需要搬上楼）</View>
          <Choices
            label="是否重物"
            options={[
              { value: 'yes', label: '重，要人搬' },
              { value: 'no', label: '不重' },
            ]}
            value={draft.heavy ? 'yes' : 'no'}
            onChange={(v) => set({ heavy: v === 'yes' })}
          />
        </View>
        <View className="field">
          <View className="field-label">急不急</View>
          <Choices
            label="紧急程度"
            options={[
              { value: 'normal', label: '普通' },
              { value: 'urgent', label: '很急' },
            ]}
            value={draft.urgency}
            onChange={(urgency) => set({ urgency })}
          />
        </View>
        <View className="field">
          <View className="field-label">什么时候送</View>
          <Choices label="送达时间" options={WINDOW_OPTIONS} value={draft.window} onChange={(window) => set({ window })} />
          {errors['window.end'] ? <Text className="error-text">{errors['window.end']}</Text> : null}
        </View>
        <View className="field">
          <View className="field-label">备注（可不填）</View>
          <Textarea
            className="text-input"
            aria-label="备注"
            placeholder="如：放门口，敲门三下"
            value={draft.notes}
            maxlength={NOTES_MAX}
            onInput={(e) => set({ notes: e.detail.value })}
          />
          {errors.notes ? <Text className="error-text">{errors.notes}</Text> : <NotesRoom length={draft.notes.length} />}
        </View>
      </View>
      {submitError ? (
        <View className="card" role="alert">
          <Text className="error-text">{submitError}</Text>
        </View>
      ) : Object.keys(errors).length > 0 ? (
        <View className="card" role="alert">
          <Text className="error-text">还有信息没填好，请看上面的红字</Text>
        </View>
      ) : null}
      <ActionButton className="submit-errand" type="primary" size="large" block busy={flight.busy !== null} onClick={submit}>
        {submitError ? '重新提交' : '提交'}
      </ActionButton>
    </View>
  );
}

/**
 * Near the limit the box stops taking characters without a word, which reads as broken: say how
 * much room is left once it is close.
 */
function NotesRoom({ length }: { length: number }) {
  if (NOTES_MAX === undefined || length < NOTES_MAX - 20) return null;
  const left = Math.max(0, NOTES_MAX - length);
  return <Text className="muted notes-room">{left > 0 ? `还能写${left}个字` : `备注最多${NOTES_MAX}个字，已写满`}</Text>;
}
