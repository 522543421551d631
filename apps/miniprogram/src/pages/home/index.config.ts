export default definePageConfig({ navigationBarTitleText: '邻里红色代办', enablePullDownRefresh: true });
