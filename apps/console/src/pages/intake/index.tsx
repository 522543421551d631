import { UnderConstruction } from '../../components/UnderConstruction';

// Placeholder until the page is built (issue 12).
export default function IntakePage() {
  return <UnderConstruction title="电话代下单" />;
}
