export default definePageConfig({ navigationBarTitleText: '请邻居帮忙' });
