import { View, Text } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../../api/client';
import { loadSession } from '../../../api/session';
import { ErrandForm } from '../../../components/ErrandForm';
import { HouseholdFields, emptyHousehold, householdInputOf, householdMessage } from '../../../components/HouseholdFields';
import { Page } from '../../../components/Page';
import { RemoteState } from '../../../components/RemoteState';
import { useRemote } from '../../../hooks/useRemote';
import { newDraft } from '../../../lib/errand-draft';
import { ROUTES, go, replaceWith } from '../../../lib/routes';

/** For a neighbour who cannot use a phone: the helper types their address and what they need. */
export default function Neighbour() {
  const communityId = loadSession()?.user.helper?.communityId ?? loadSession()?.user.communityId ?? null;
  const compounds = useRemote(async () => (communityId ? (await api.compounds(communityId)).items : []));
  const [household, setHousehold] = useState(emptyHousehold);
  const [draft, setDraft] = useState(() => newDraft('water'));
  const onBehalfOf = householdInputOf(household);

  return (
    <Page>
      <View className="row">
        <Text className="muted">东西送到时，邻居要说出交接码。</Text>
        <Text className="text-link my-proxy-errands" onClick={() => go(ROUTES.errands, { onBehalf: '1' })}>
          我代下的单 ›
        </Text>
      </View>
      <RemoteState loading={compounds.loading} error={compounds.error} onRetry={() => void compounds.reload()}>
        <ErrandForm
          draft={draft}
          onDraftChange={setDraft}
          onBehalfOf={onBehalfOf}
          before={(errors) => (
            <>
              <View className="title">邻居的住址</View>
              <HouseholdFields
                value={household}
                onChange={setHousehold}
                compounds={compounds.data ?? []}
                errors={errors}
                errorPrefix="onBehalfOf."
              />
              {Object.keys(errors).some((k) => k.startsWith('onBehalfOf.')) ? (
                <Text className="error-text">{householdMessage('', '邻居的住址还没填好')}</Text>
              ) : null}
            </>
          )}
          // The submitter's own view: the handover code to pass on, and 取消. (The task page is for
          // whoever accepts it, and the submitter is never offered their own errand.)
          onCreated={(errand) => replaceWith(ROUTES.errand, { id: errand.id })}
        />
      </RemoteState>
    </Page>
  );
}
