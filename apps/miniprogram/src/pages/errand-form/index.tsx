import { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { ErrandCategory } from '@linli/contracts';
import { ErrandForm } from '../../components/ErrandForm';
import { Page } from '../../components/Page';
import { newDraft } from '../../lib/errand-draft';
import { ROUTES, replaceWith } from '../../lib/routes';

/** The resident's errand form, opened from a big button on the home page with its category. */
export default function ErrandFormPage() {
  const { params } = useRouter();
  const category = ErrandCategory.catch('other').parse(params.category);
  const [draft, setDraft] = useState(() => newDraft(category));
  return (
    <Page>
      <ErrandForm draft={draft} onDraftChange={setDraft} onCreated={(errand) => replaceWith(ROUTES.errand, { id: errand.id })} />
    </Page>
  );
}
