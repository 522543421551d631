export default definePageConfig({ navigationBarTitleText: '帮邻居下单' });
