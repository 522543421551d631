import { UnderConstruction } from '../../components/UnderConstruction';

// Placeholder until the page is built (issue 12).
export default function BoardPage() {
  return <UnderConstruction title="值班台" />;
}
