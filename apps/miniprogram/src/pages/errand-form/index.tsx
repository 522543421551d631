import { View, Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { ErrandCategory } from '@linli/contracts';
import { api } from '../../api/client';
import { loadSession } from '../../api/session';
import { Choices } from '../../components/Choices';
import { ErrandForm } from '../../components/ErrandForm';
import { HouseholdFields, emptyHousehold, householdInputOf, householdMessage } from '../../components/HouseholdFields';
import { Page } from '../../components/Page';
import { RemoteState } from '../../components/RemoteState';
import { useRemote } from '../../hooks/useRemote';
import { newDraft } from '../../lib/errand-draft';
import { ROUTES, replaceWith } from '../../lib/routes';

type ForWhom = 'self' | 'other';
const FOR_WHOM = [
  { value: 'self' as const, label: '给自己家' },
  { value: 'other' as const, label: '给家人/邻居下单' },
];

/**
 * The resident's errand form, opened from a big button on the home page with its category. A
 * resident may also order for a family member or neighbour in their own community (the BFF refuses
 * others); their address is typed in, and the errand page then shows the code to pass on.
 */
export default function ErrandFormPage() {
  const { params } = useRouter();
  const category = ErrandCategory.catch('other').parse(params.category);
  const [draft, setDraft] = useState(() => newDraft(category));
  const [forWhom, setForWhom] = useState<ForWhom>(params.for === 'other' ? 'other' : 'self');
  const [household, setHousehold] = useState(emptyHousehold);
  const communityId = loadSession()?.user.household?.communityId ?? null;
  const compounds = useRemote(
    async () => (forWhom === 'other' && communityId ? (await api.compounds(communityId)).items : []),
    undefined,
    `compounds:${forWhom}`,
  );

  return (
    <Page>
      <ErrandForm
        draft={draft}
        onDraftChange={setDraft}
        onBehalfOf={forWhom === 'other' ? householdInputOf(household) : undefined}
        before={(errors) => (
          <>
            <View className="card">
              <View className="field-label">给谁下单</View>
              <Choices label="给谁下单" options={FOR_WHOM} value={forWhom} onChange={setForWhom} />
            </View>
            {forWhom === 'other' ? (
              <RemoteState loading={compounds.loading} error={compounds.error} onRetry={() => void compounds.reload()}>
                <View className="title">家人或邻居的住址（本社区）</View>
                <HouseholdFields
                  value={household}
                  onChange={setHousehold}
                  compounds={compounds.data ?? []}
                  errors={errors}
                  errorPrefix="onBehalfOf."
                />
                {Object.keys(errors).some((k) => k.startsWith('onBehalfOf.')) ? (
                  <Text className="error-text">{householdMessage('', '住址还没填好')}</Text>
                ) : null}
              </RemoteState>
            ) : null}
          </>
        )}
        onCreated={(errand) => replaceWith(ROUTES.errand, { id: errand.id })}
      />
    </Page>
  );
}
