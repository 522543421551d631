import { UnderConstruction } from '../../components/UnderConstruction';

// Placeholder until the page is built (issue 12).
export default function CompoundsPage() {
  return <UnderConstruction title="小区管控" />;
}
