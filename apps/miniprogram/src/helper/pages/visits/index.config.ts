export default definePageConfig({ navigationBarTitleText: '我的探访', enablePullDownRefresh: true });
