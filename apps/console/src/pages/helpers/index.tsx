import { UnderConstruction } from '../../components/UnderConstruction';

// Placeholder until the page is built (issue 12).
export default function HelpersPage() {
  return <UnderConstruction title="党员中心户" />;
}
