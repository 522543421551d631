import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

// The shared contracts are TypeScript source (main: src/index.ts) outside node_modules: Taro's
// script rule must be told to compile them, for both platforms.
const contractsSource = path.resolve(__dirname, '../../../packages/contracts/src');

/** NutUI is drawn for a 375 px wide design; our own styles for 750 (rpx-like units). */
function designWidth(input?: string | number | { file?: string }): number {
  if (typeof input === 'object' && input.file?.replace(/\\+/g, '/').includes('@nutui')) return 375;
  return 750;
}

export default defineConfig<'webpack5'>(() => {
  const platform = process.env.TARO_ENV ?? 'weapp';
  const config: UserConfigExport<'webpack5'> = {
    projectName: 'linli',
    date: '2026-11-28',
    designWidth,
    deviceRatio: { 375: 2, 640: 2.34 / 2, 750: 1, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${platform}`,
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    // The browser build's icon (index.html links it); WeChat has none.
    copy: { patterns: platform === 'h5' ? [{ from: 'src/favicon.svg', to: 'dist/h5/favicon.svg' }] : [], options: {} },
    defineConstants: {
      // Where the BFF lives. The h5 build is served by the BFF itself, so same-origin '' works;
      // the WeChat build needs an absolute https origin (set LINLI_API_BASE when building).
      LINLI_API_BASE: JSON.stringify(process.env.LINLI_API_BASE ?? (platform === 'h5' ? '' : 'http://127.0.0.1:3000')),
    },
    mini: {
      compile: { include: [contractsSource] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      // Only the output that WeChat loads: no source maps in the package size.
      enableSourceMap: false,
    },
    h5: {
      compile: { include: [contractsSource] },
      publicPath: '/',
      staticDirectory: 'static',
      // Hash routing: any static server (the BFF's included) serves index.html at '/'.
      router: { mode: 'hash' },
      esnextModules: ['@nutui', '@tarojs/components'],
      // Without this every page chunk carries its own copy of zod, the contracts and NutUI
      // (16 chunks of ~220 KiB); one shared chunk is smaller to serve and faster to build.
      webpackChain(chain) {
        chain.optimization.splitChunks({
          chunks: 'all',
          cacheGroups: {
            shared: {
              test: /[\\/](node_modules|packages[\\/]contracts|src[\\/](api|components|hooks|lib|live|store))[\\/]/,
              name: 'shared',
              priority: 10,
              reuseExistingChunk: true,
            },
          },
        });
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      enableSourceMap: false,
    },
  };
  return config;
});
