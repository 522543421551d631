import { UnderConstruction } from '../../components/UnderConstruction';

// Placeholder until the page is built (issue 12).
export default function StatsPage() {
  return <UnderConstruction title="统计" />;
}
