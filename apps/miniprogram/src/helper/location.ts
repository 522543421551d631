import Taro from '@tarojs/taro';
import { inWechat } from '../platform';

/**
 * Where the helper is, in GCJ-02 (what WeChat's map and the BFF's matching use). The browser
 * build has no GCJ-02 source, and WeChat may refuse (permission, or its 30 s throttle): then we
 * send no position and the BFF places the helper at their home building.
 */
export async function currentPosition(): Promise<{ lat: number; lng: number } | undefined> {
  if (!inWechat()) return undefined;
  try {
    const { latitude, longitude } = await Taro.getLocation({ type: 'gcj02' });
    return { lat: latitude, lng: longitude };
  } catch {
    return undefined;
  }
}
