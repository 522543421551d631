// Taro replaces process.env.TARO_ENV at build time ('weapp' or 'h5'); tests switch it at run
// time, hence a function. The one place we ask it.
export const inWechat = (): boolean => process.env.TARO_ENV === 'weapp';
