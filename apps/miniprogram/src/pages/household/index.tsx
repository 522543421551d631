import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { useEffect, useState } from 'react';
import { HouseholdInput } from '@linli/contracts';
import { api } from '../../api/client';
import { loadSession, updateSessionUser } from '../../api/session';
import { HouseholdFields, emptyHousehold, householdInputOf, type HouseholdDraft } from '../../components/HouseholdFields';
import { ActionError } from '../../components/ActionError';
import { Page } from '../../components/Page';
import { RemoteState } from '../../components/RemoteState';
import { useAction } from '../../hooks/useAction';
import { useRemote } from '../../hooks/useRemote';
import { ROUTES } from '../../lib/routes';

/** Registering (or correcting) the resident's address: where helpers will carry things to. */
export default function HouseholdPage() {
  const places = useRemote(async () => {
    const me = await api.me();
    const communityId = me.household?.communityId ?? me.communityId ?? (await api.communities()).items[0]?.id;
    const compounds = communityId ? (await api.compounds(communityId)).items : [];
    return { me, compounds };
  });
  // null until the person is read: the fields are drawn once, with their values (Taro's h5 input
  // throws when its value changes before it has rendered), and a later refresh keeps what is typed.
  const [draft, setDraft] = useState<HouseholdDraft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useAction();

  useEffect(() => {
    const me = places.data?.me;
    if (!me) return;
    const h = me.household;
    setDraft(
      (typed) =>
        typed ??
        (h
          ? { ...emptyHousehold, ...h, compoundId: h.compoundId, buildingId: h.buildingId, floor: String(h.floor) }
          : { ...emptyHousehold, contactName: me.name, phone: me.phone ?? '' }),
    );
  }, [places.data]);

  async function submit() {
    if (!draft) return;
    const parsed = HouseholdInput.safeParse(householdInputOf(draft));
    if (!parsed.success) {
      const found: Record<string, string> = {};
      for (const issue of parsed.error.issues) found[issue.path.join('.')] ??= issue.message;
      setErrors(found);
      return;
    }
    setErrors({});
    const saved = await save.run(
      'save',
      async () => {
        await api.registerHousehold(parsed.data);
        updateSessionUser(await api.me());
        return true;
      },
      '住址已保存',
    );
    if (saved && loadSession()) void Taro.reLaunch({ url: ROUTES.home });
  }

  return (
    <Page>
      <RemoteState loading={places.loading} error={places.error} onRetry={() => void places.reload()}>
        <View className="muted" style={{ marginBottom: '16px' }}>
          <Text>登记住址后，邻居才能把东西送到您家门口。</Text>
        </View>
        {draft ? <HouseholdFields value={draft} onChange={setDraft} compounds={places.data?.compounds ?? []} errors={errors} /> : null}
        {Object.keys(errors).length > 0 ? (
          <View className="card" role="alert">
            <Text className="error-text">还有信息没填好，请看上面的红字。</Text>
          </View>
        ) : null}
        <ActionError error={save.error} />
        <Button type="primary" size="large" block loading={save.busy === 'save'} onClick={submit}>
          保存住址
        </Button>
      </RemoteState>
    </Page>
  );
}
