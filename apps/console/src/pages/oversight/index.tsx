import { UnderConstruction } from '../../components/UnderConstruction';

// Placeholder until the page is built (issue 12).
export default function OversightPage() {
  return <UnderConstruction title="街道/区总览" />;
}
