export default definePageConfig({ navigationBarTitleText: '待接代办', enablePullDownRefresh: true });
