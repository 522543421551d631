import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  AlertOutlined,
  ApartmentOutlined,
  BarChartOutlined,
  ClusterOutlined,
  HomeOutlined,
  PhoneOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { PageKey } from './access';

export interface ConsoleRoute {
  key: PageKey;
  /** Under the router's basename /console. */
  path: string;
  /** The side-menu label (and the tab title). */
  name: string;
  icon: ReactNode;
  /** Each page is its own chunk, so the first load carries only the shell and the landing page. */
  page: LazyExoticComponent<ComponentType>;
}

/** The side menu and the router both come from this table; access.ts decides which rows a role sees. */
export const ROUTES: ConsoleRoute[] = [
  { key: 'board', path: '/board', name: '值班台', icon: <AlertOutlined />, page: lazy(() => import('./pages/board')) },
  { key: 'intake', path: '/intake', name: '电话代下单', icon: <PhoneOutlined />, page: lazy(() => import('./pages/intake')) },
  { key: 'registry', path: '/registry', name: '住户台账', icon: <HomeOutlined />, page: lazy(() => import('./pages/registry')) },
  { key: 'helpers', path: '/helpers', name: '党员中心户', icon: <TeamOutlined />, page: lazy(() => import('./pages/helpers')) },
  { key: 'compounds', path: '/compounds', name: '小区管控', icon: <ApartmentOutlined />, page: lazy(() => import('./pages/compounds')) },
  { key: 'stats', path: '/stats', name: '统计', icon: <BarChartOutlined />, page: lazy(() => import('./pages/stats')) },
  { key: 'oversight', path: '/oversight', name: '街道/区总览', icon: <ClusterOutlined />, page: lazy(() => import('./pages/oversight')) },
];

export function routeOf(key: PageKey): ConsoleRoute {
  const route = ROUTES.find((r) => r.key === key);
  if (!route) throw new Error(`no route ${key}`);
  return route;
}
