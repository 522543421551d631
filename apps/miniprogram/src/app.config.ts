export default defineAppConfig({
  // Residents' pages in the main package; helpers' and staff's in their own subpackages so the
  // main package stays small (it is what every resident downloads first).
  pages: [
    'pages/home/index',
    'pages/login/index',
    'pages/errand-form/index',
    'pages/errands/index',
    'pages/errand/index',
    'pages/household/index',
  ],
  subPackages: [
    {
      root: 'helper',
      pages: [
        'pages/offers/index',
        'pages/tasks/index',
        'pages/task/index',
        'pages/neighbour/index',
        'pages/record/index',
        'pages/visits/index',
      ],
    },
    { root: 'staff', pages: ['pages/queue/index', 'pages/assign/index', 'pages/helpers/index', 'pages/compounds/index'] },
  ],
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#c8161d',
    navigationBarTitleText: '邻里红色代办',
    navigationBarTextStyle: 'white',
  },
  // Helpers send their position when going on duty (GCJ-02); WeChat requires the declaration.
  requiredPrivateInfos: ['getLocation'],
  permission: {
    'scope.userLocation': { desc: '上岗时用您的位置，把附近邻居的代办派给您' },
  },
});
