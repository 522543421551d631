import { UnderConstruction } from '../../components/UnderConstruction';

// Placeholder until the page is built (issue 12).
export default function RegistryPage() {
  return <UnderConstruction title="住户台账" />;
}
