/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.scss';
declare module '*.css';

/** Replaced at build time (config/index.ts defineConstants); jest defines it in its setup. */
declare const LINLI_API_BASE: string;

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'h5' | undefined;
    TARO_APP_ID: string | undefined;
  }
}
