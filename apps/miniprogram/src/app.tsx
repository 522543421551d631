import { useEffect, type PropsWithChildren } from 'react';
import { loadTemplates } from './notify/subscribe';
import './app.scss';

export default function App({ children }: PropsWithChildren) {
  // WeChat's consent dialog must open inside the tap that submits an errand or goes on duty, so
  // the template ids have to be here before that tap: fetch them at launch (no-op on h5).
  useEffect(() => {
    void loadTemplates();
  }, []);
  return children;
}
