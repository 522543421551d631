export default definePageConfig({ navigationBarTitleText: '代办队列', enablePullDownRefresh: true });
