import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
// Ant Design 5+ ships no global reset; without it the browser's 8 px body margin frames the whole desk.
import 'antd/dist/reset.css';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
