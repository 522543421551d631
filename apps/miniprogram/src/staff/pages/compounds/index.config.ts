export default definePageConfig({ navigationBarTitleText: '小区封控', enablePullDownRefresh: true });
