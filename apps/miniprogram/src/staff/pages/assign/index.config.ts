export default definePageConfig({ navigationBarTitleText: '指派', enablePullDownRefresh: true });
