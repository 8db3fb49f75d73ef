// The demo network: an OEM, four regions, a dealer group, 30 dealers D001–D030, three fleet
// customers F001–F003 and a user for every role (accounts listed in the README).
export const oem = { code: "OEM", name: "华夏汽车 Huaxia Motor" };

export const demoRegions = [
  { code: "EAST", nameZh: "华东大区", nameEn: "East" },
  { code: "SOUTH", nameZh: "华南大区", nameEn: "South" },
  { code: "NORTH", nameZh: "华北大区", nameEn: "North" },
  { code: "WEST", nameZh: "西部大区", nameEn: "West" },
];

export const dealerGroup = { code: "G001", name: "金龙汽车集团 Jinlong Auto Group", regionCode: "EAST" };

const cities: [string, string, string][] = [
  ["上海", "Shanghai", "EAST"], ["杭州", "Hangzhou", "EAST"], ["南京", "Nanjing", "EAST"], ["苏州", "Suzhou", "EAST"],
  ["宁波", "Ningbo", "EAST"], ["合肥", "Hefei", "EAST"], ["福州", "Fuzhou", "EAST"], ["济南", "Jinan", "EAST"],
  ["广州", "Guangzhou", "SOUTH"], ["深圳", "Shenzhen", "SOUTH"], ["东莞", "Dongguan", "SOUTH"], ["佛山", "Foshan", "SOUTH"],
  ["南宁", "Nanning", "SOUTH"], ["海口", "Haikou", "SOUTH"], ["厦门", "Xiamen", "SOUTH"], ["长沙", "Changsha", "SOUTH"],
  ["北京", "Beijing", "NORTH"], ["天津", "Tianjin", "NORTH"], ["石家庄", "Shijiazhuang", "NORTH"], ["太原", "Taiyuan", "NORTH"],
  ["沈阳", "Shenyang", "NORTH"], ["大连", "Dalian", "NORTH"], ["哈尔滨", "Harbin", "NORTH"], ["青岛", "Qingdao", "NORTH"],
  ["成都", "Chengdu", "WEST"], ["重庆", "Chongqing", "WEST"], ["西安", "Xi'an", "WEST"], ["昆明", "Kunming", "WEST"],
  ["贵阳", "Guiyang", "WEST"], ["兰州", "Lanzhou", "WEST"],
];

export const demoDealers = cities.map(([zh, en, region], i) => {
  const n = String(i + 1).padStart(3, "0");
  return {
    code: `D${n}`,
    name: `${zh}华夏汽车销售服务有限公司 ${en} Huaxia 4S`,
    regionCode: region,
    // D001–D005 belong to the dealer group.
    inGroup: i < 5,
    // Credit limits between 8 and 30 million CNY, in fen.
    creditLimitMinor: BigInt(8_000_000 + ((i * 7_919) % 22) * 1_000_000) * 100n,
  };
});

export const demoFleets = [
  { code: "F001", name: "神州租车 Shenzhou Car Rental", regionCode: "NORTH" },
  { code: "F002", name: "申城出租汽车 Shencheng Taxi", regionCode: "EAST" },
  { code: "F003", name: "广东省政府车队 Guangdong Government Fleet", regionCode: "SOUTH" },
];

export const demoAccounts = [
  { email: "admin@oem.example", name: "王建国 Wang Jianguo", role: "oem_admin", org: "OEM" },
  { email: "sales@oem.example", name: "李明 Li Ming", role: "oem_sales", org: "OEM" },
  { email: "finance@oem.example", name: "张丽 Zhang Li", role: "oem_finance", org: "OEM" },
  { email: "warranty@oem.example", name: "陈伟 Chen Wei", role: "oem_warranty", org: "OEM" },
  { email: "principal@d001.example", name: "刘洋 Liu Yang", role: "dealer_principal", org: "D001" },
  { email: "sales@d001.example", name: "赵磊 Zhao Lei", role: "dealer_sales", org: "D001" },
  { email: "service@d001.example", name: "孙强 Sun Qiang", role: "dealer_service", org: "D001" },
  { email: "finance@d001.example", name: "周敏 Zhou Min", role: "dealer_finance", org: "D001" },
  { email: "principal@d002.example", name: "吴芳 Wu Fang", role: "dealer_principal", org: "D002" },
  { email: "fleet@f001.example", name: "郑浩 Zheng Hao", role: "fleet_manager", org: "F001" },
] as const;
