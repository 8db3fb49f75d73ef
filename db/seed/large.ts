// `npm run seed:large`: the demo network grown to production size for load tests and list screens —
// 3,000 dealers (D001–D3000) across the four regions, ~10 % of the new ones in ten extra dealer
// groups (G002–G011), and 30,000 users in total with Chinese, pinyin and mixed names, all with the
// password `demo-password` (one argon2id hash for every row).
//
// The plan is deterministic (seeded PRNG), rows go in 1,000 per statement and every insert is
// ON CONFLICT DO NOTHING on the organisation code and the lower-cased email, so a second run adds
// nothing and an interrupted run can simply be started again.
//
// DATABASE_URL selects PostgreSQL; without it the embedded PGlite at PGLITE_DIR is used.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { count, eq, inArray, sql } from "drizzle-orm";
import { openDatabase, type Db } from "../client";
import { organizations, users, type Role } from "../schema";
import { cachedHash, DEMO_PASSWORD } from "../factories";
import { inScope, systemCtx } from "../../portal/domain/context";
import { seedDemo } from "./demo";
import { demoAccounts, demoDealers, demoFleets } from "./demo-data";

export const LARGE_DEALERS = 3_000;
export const LARGE_USERS = 30_000;
const BATCH = 1_000;

type Region = "EAST" | "SOUTH" | "NORTH" | "WEST";
type OrgInsert = typeof organizations.$inferInsert;
type UserInsert = typeof users.$inferInsert;

// ---------------------------------------------------------------------------------------------
// Deterministic randomness: the same plan on every run, so ON CONFLICT keeps the seed idempotent.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------
// Vocabulary.
const cities: [string, string, Region][] = [
  ["上海", "Shanghai", "EAST"], ["杭州", "Hangzhou", "EAST"], ["南京", "Nanjing", "EAST"], ["苏州", "Suzhou", "EAST"],
  ["宁波", "Ningbo", "EAST"], ["合肥", "Hefei", "EAST"], ["福州", "Fuzhou", "EAST"], ["济南", "Jinan", "EAST"],
  ["无锡", "Wuxi", "EAST"], ["温州", "Wenzhou", "EAST"], ["常州", "Changzhou", "EAST"], ["南昌", "Nanchang", "EAST"],
  ["徐州", "Xuzhou", "EAST"], ["绍兴", "Shaoxing", "EAST"], ["嘉兴", "Jiaxing", "EAST"], ["烟台", "Yantai", "EAST"],
  ["广州", "Guangzhou", "SOUTH"], ["深圳", "Shenzhen", "SOUTH"], ["东莞", "Dongguan", "SOUTH"], ["佛山", "Foshan", "SOUTH"],
  ["南宁", "Nanning", "SOUTH"], ["海口", "Haikou", "SOUTH"], ["厦门", "Xiamen", "SOUTH"], ["长沙", "Changsha", "SOUTH"],
  ["珠海", "Zhuhai", "SOUTH"], ["中山", "Zhongshan", "SOUTH"], ["惠州", "Huizhou", "SOUTH"], ["汕头", "Shantou", "SOUTH"],
  ["泉州", "Quanzhou", "SOUTH"], ["桂林", "Guilin", "SOUTH"], ["三亚", "Sanya", "SOUTH"], ["株洲", "Zhuzhou", "SOUTH"],
  ["北京", "Beijing", "NORTH"], ["天津", "Tianjin", "NORTH"], ["石家庄", "Shijiazhuang", "NORTH"], ["太原", "Taiyuan", "NORTH"],
  ["沈阳", "Shenyang", "NORTH"], ["大连", "Dalian", "NORTH"], ["哈尔滨", "Harbin", "NORTH"], ["青岛", "Qingdao", "NORTH"],
  ["长春", "Changchun", "NORTH"], ["呼和浩特", "Hohhot", "NORTH"], ["唐山", "Tangshan", "NORTH"], ["保定", "Baoding", "NORTH"],
  ["郑州", "Zhengzhou", "NORTH"], ["洛阳", "Luoyang", "NORTH"], ["潍坊", "Weifang", "NORTH"], ["大同", "Datong", "NORTH"],
  ["成都", "Chengdu", "WEST"], ["重庆", "Chongqing", "WEST"], ["西安", "Xi'an", "WEST"], ["昆明", "Kunming", "WEST"],
  ["贵阳", "Guiyang", "WEST"], ["兰州", "Lanzhou", "WEST"], ["乌鲁木齐", "Urumqi", "WEST"], ["银川", "Yinchuan", "WEST"],
  ["西宁", "Xining", "WEST"], ["拉萨", "Lhasa", "WEST"], ["绵阳", "Mianyang", "WEST"], ["宜宾", "Yibin", "WEST"],
  ["遵义", "Zunyi", "WEST"], ["大理", "Dali", "WEST"], ["宝鸡", "Baoji", "WEST"], ["武汉", "Wuhan", "WEST"],
];

const districts: [string, string][] = [
  ["城东", "Chengdong"], ["城西", "Chengxi"], ["城南", "Chengnan"], ["城北", "Chengbei"], ["高新", "Gaoxin"],
  ["经开", "Jingkai"], ["滨江", "Binjiang"], ["新区", "Xinqu"], ["开发区", "Kaifaqu"], ["东站", "Dongzhan"],
  ["机场路", "Jichanglu"], ["环城", "Huancheng"], ["汽车城", "Qichecheng"], ["港区", "Gangqu"], ["湖滨", "Hubin"],
];

const extraGroups: { code: string; name: string; regionCode: Region }[] = [
  { code: "G002", name: "恒信汽车集团 Hengxin Auto Group", regionCode: "EAST" },
  { code: "G003", name: "东方和谐汽车集团 Dongfang Hexie Auto Group", regionCode: "EAST" },
  { code: "G004", name: "华南冠达汽车集团 Huanan Guanda Auto Group", regionCode: "SOUTH" },
  { code: "G005", name: "粤海之星汽车集团 Yuehai Star Auto Group", regionCode: "SOUTH" },
  { code: "G006", name: "庞元汽车集团 Pangyuan Auto Group", regionCode: "NORTH" },
  { code: "G007", name: "燕赵汽车贸易集团 Yanzhao Auto Trading Group", regionCode: "NORTH" },
  { code: "G008", name: "北方骏通汽车集团 Beifang Juntong Auto Group", regionCode: "NORTH" },
  { code: "G009", name: "天府汽车集团 Tianfu Auto Group", regionCode: "WEST" },
  { code: "G010", name: "西部鑫源汽车集团 Xibu Xinyuan Auto Group", regionCode: "WEST" },
  { code: "G011", name: "长江汇通汽车集团 Changjiang Huitong Auto Group", regionCode: "WEST" },
];

// Most frequent surnames first; picks are skewed towards the top of the list.
const surnames: [string, string][] = [
  ["王", "Wang"], ["李", "Li"], ["张", "Zhang"], ["刘", "Liu"], ["陈", "Chen"], ["杨", "Yang"], ["黄", "Huang"],
  ["赵", "Zhao"], ["吴", "Wu"], ["周", "Zhou"], ["徐", "Xu"], ["孙", "Sun"], ["马", "Ma"], ["朱", "Zhu"], ["胡", "Hu"],
  ["郭", "Guo"], ["何", "He"], ["高", "Gao"], ["林", "Lin"], ["罗", "Luo"], ["郑", "Zheng"], ["梁", "Liang"],
  ["谢", "Xie"], ["宋", "Song"], ["唐", "Tang"], ["许", "Xu"], ["韩", "Han"], ["冯", "Feng"], ["邓", "Deng"],
  ["曹", "Cao"], ["彭", "Peng"], ["曾", "Zeng"], ["肖", "Xiao"], ["田", "Tian"], ["董", "Dong"], ["袁", "Yuan"],
  ["潘", "Pan"], ["于", "Yu"], ["蒋", "Jiang"], ["蔡", "Cai"], ["余", "Yu"], ["杜", "Du"], ["叶", "Ye"], ["程", "Cheng"],
  ["苏", "Su"], ["魏", "Wei"], ["吕", "Lü"], ["丁", "Ding"], ["任", "Ren"], ["沈", "Shen"], ["姚", "Yao"], ["卢", "Lu"],
  ["欧阳", "Ouyang"], ["司马", "Sima"], ["诸葛", "Zhuge"],
];

const givenSyllables: [string, string][] = [
  ["伟", "wei"], ["芳", "fang"], ["娜", "na"], ["敏", "min"], ["静", "jing"], ["丽", "li"], ["强", "qiang"], ["磊", "lei"],
  ["军", "jun"], ["洋", "yang"], ["勇", "yong"], ["艳", "yan"], ["杰", "jie"], ["娟", "juan"], ["涛", "tao"], ["明", "ming"],
  ["超", "chao"], ["秀", "xiu"], ["霞", "xia"], ["平", "ping"], ["刚", "gang"], ["桂", "gui"], ["英", "ying"], ["华", "hua"],
  ["建", "jian"], ["国", "guo"], ["文", "wen"], ["玉", "yu"], ["兰", "lan"], ["海", "hai"], ["波", "bo"], ["宇", "yu"],
  ["晨", "chen"], ["浩", "hao"], ["然", "ran"], ["子", "zi"], ["轩", "xuan"], ["欣", "xin"], ["怡", "yi"], ["佳", "jia"],
  ["琪", "qi"], ["梓", "zi"], ["涵", "han"], ["雨", "yu"], ["婷", "ting"], ["鹏", "peng"], ["飞", "fei"], ["志", "zhi"],
  ["红", "hong"], ["春", "chun"], ["东", "dong"], ["辉", "hui"], ["亮", "liang"], ["斌", "bin"], ["凯", "kai"], ["峰", "feng"],
  ["晓", "xiao"], ["思", "si"], ["嘉", "jia"], ["博", "bo"], ["雪", "xue"], ["慧", "hui"], ["俊", "jun"], ["瑶", "yao"],
];

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const asciiLower = (s: string) => s.toLowerCase().replace(/ü/g, "v").replace(/[^a-z]/g, "");

// ---------------------------------------------------------------------------------------------
// The plan.
export type LargePlan = { groups: OrgInsert[]; dealers: (OrgInsert & { groupCode: string | null })[]; users: (Omit<UserInsert, "organizationId" | "passwordHash"> & { orgCode: string })[] };

/** Emails the demo seed creates; the large seed tops the network up to LARGE_USERS in total. */
function demoEmails(): Set<string> {
  const emails = new Set<string>(demoAccounts.map((a) => a.email));
  for (const d of demoDealers.slice(1)) {
    emails.add(`principal@${d.code.toLowerCase()}.example`);
    emails.add(`sales@${d.code.toLowerCase()}.example`);
  }
  for (const f of demoFleets.slice(1)) emails.add(`fleet@${f.code.toLowerCase()}.example`);
  return emails;
}

export function buildLargePlan(now = new Date()): LargePlan {
  const rand = mulberry32(20_240_601);
  const pick = <T,>(list: readonly T[], skew = 1): T => list[Math.floor(list.length * Math.pow(rand(), skew))]!;

  // Dealers D031–D3000, in cities of all four regions; about one in ten joins a group of its region.
  const groupsByRegion = new Map<Region, string[]>();
  for (const g of extraGroups) groupsByRegion.set(g.regionCode, [...(groupsByRegion.get(g.regionCode) ?? []), g.code]);
  const nameCount = new Map<string, number>();
  const dealers: LargePlan["dealers"] = [];
  for (let n = demoDealers.length + 1; n <= LARGE_DEALERS; n++) {
    const [cityZh, cityEn, region] = cities[(n * 7 + Math.floor(rand() * 3)) % cities.length]!;
    const [distZh, distEn] = pick(districts);
    const key = `${cityZh}${distZh}`;
    const k = (nameCount.get(key) ?? 0) + 1;
    nameCount.set(key, k);
    const name =
      k === 1
        ? `${cityZh}${distZh}华夏汽车销售服务有限公司 ${cityEn} ${distEn} Huaxia 4S`
        : `${cityZh}${distZh}华夏汽车销售服务有限公司第${k}分公司 ${cityEn} ${distEn} Huaxia 4S No. ${k}`;
    const groupCode = rand() < 0.1 ? pick(groupsByRegion.get(region)!) : null;
    dealers.push({
      code: `D${String(n).padStart(3, "0")}`,
      name,
      type: "dealer",
      regionCode: region,
      status: rand() < 0.02 ? "inactive" : "active",
      // 5 to 40 million CNY, in fen.
      creditLimitMinor: BigInt(5_000_000 + Math.floor(rand() * 36) * 1_000_000) * 100n,
      currency: "CNY",
      groupCode,
    });
  }
  const groups: OrgInsert[] = extraGroups.map((g) => ({ ...g, type: "dealer_group", creditLimitMinor: 0n, currency: "CNY" }));

  // People. Every dealer (demo ones included) gets staff; the OEM, fleets and groups a few more.
  const taken = demoEmails();
  const planned: LargePlan["users"] = [];
  const person = (orgCode: string, role: Role) => {
    const [famZh, famPy] = pick(surnames, 1.8);
    const syllables = rand() < 0.3 ? [pick(givenSyllables)] : [pick(givenSyllables), pick(givenSyllables)];
    const givenZh = syllables.map((s) => s[0]).join("");
    const givenPy = capitalize(syllables.map((s) => s[1]).join(""));
    const style = rand();
    const name =
      style < 0.6
        ? `${famZh}${givenZh} ${famPy} ${givenPy}`
        : style < 0.85
          ? `${famZh}${givenZh}`
          : style < 0.95
            ? `${famPy} ${givenPy}`
            : `${givenPy} ${famPy}`;
    const domain = `${orgCode.toLowerCase()}.example`;
    const local = `${asciiLower(givenPy)}.${asciiLower(famPy)}`;
    let email = `${local}@${domain}`;
    for (let i = 2; taken.has(email); i++) email = `${local}${i}@${domain}`;
    taken.add(email);
    const created = new Date(now.getTime() - Math.floor(rand() * 3 * 365) * 86_400_000 - Math.floor(rand() * 86_400_000));
    const loggedIn = rand() < 0.75;
    const lastLoginAt = loggedIn ? new Date(Math.max(created.getTime(), now.getTime() - Math.floor(rand() * 60 * 86_400_000))) : null;
    const localeRoll = rand();
    planned.push({
      orgCode,
      email,
      name,
      role,
      status: rand() < 0.07 ? "inactive" : "active",
      locale: localeRoll < 0.7 ? "zh-CN" : localeRoll < 0.85 ? "en" : null,
      lastLoginAt,
      createdAt: created,
      updatedAt: created,
    });
  };

  const oemRoles: [Role, number][] = [["oem_admin", 5], ["oem_sales", 30], ["oem_finance", 10], ["oem_warranty", 15]];
  for (const [role, n] of oemRoles) for (let i = 0; i < n; i++) person("OEM", role);
  for (const f of demoFleets) for (let i = 0; i < 5; i++) person(f.code, "fleet_manager");
  for (const g of extraGroups) for (let i = 0; i < 2; i++) person(g.code, "dealer_principal");

  const allDealers = [...demoDealers.map((d) => d.code), ...dealers.map((d) => d.code)];
  const remaining = LARGE_USERS - taken.size;
  // Dealer sizes vary between roughly half and one and a half times the average.
  const weights = allDealers.map(() => 0.5 + rand());
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.floor((remaining * w) / sum));
  for (let i = 0, left = remaining - sizes.reduce((a, b) => a + b, 0); left > 0; i++, left--) sizes[i % sizes.length]!++;
  const demoCodes = new Set(demoDealers.map((d) => d.code));
  allDealers.forEach((code, i) => {
    const n = sizes[i]!;
    const service = Math.max(1, Math.round(n * 0.3));
    for (let j = 0; j < n; j++) {
      let role: Role;
      if (j === 0) role = demoCodes.has(code) ? "dealer_sales" : "dealer_principal"; // demo dealers have one
      else if (j === 1 || (j === 2 && n >= 12)) role = "dealer_finance";
      else if (j < 3 + service) role = "dealer_service";
      else role = "dealer_sales";
      person(code, role);
    }
  });
  return { groups, dealers, users: planned };
}

// ---------------------------------------------------------------------------------------------
export type LargeSeedResult = {
  skipped: boolean;
  dealers: number;
  users: number;
  organizationsInserted: number;
  usersInserted: number;
  timingsMs: Record<string, number>;
};

async function counts(db: Db): Promise<{ dealers: number; users: number; organizations: number }> {
  return inScope(systemCtx(db, "seed"), async (tx) => {
    const [d] = await tx.select({ n: count() }).from(organizations).where(eq(organizations.type, "dealer"));
    const [o] = await tx.select({ n: count() }).from(organizations);
    const [u] = await tx.select({ n: count() }).from(users);
    return { dealers: d?.n ?? 0, organizations: o?.n ?? 0, users: u?.n ?? 0 };
  });
}

export async function seedLarge(db: Db, log: (line: string) => void = () => {}): Promise<LargeSeedResult> {
  const timingsMs: Record<string, number> = {};
  const t0 = performance.now();
  let mark = t0;
  const lap = (name: string) => {
    const t = performance.now();
    timingsMs[name] = Math.round(t - mark);
    mark = t;
  };

  const demo = await seedDemo(db);
  lap("demo");
  log(`demo network: ${demo.created ? `seeded (${demo.organizations} organisations, ${demo.users} users)` : "already there"}`);

  const before = await counts(db);
  if (before.dealers >= LARGE_DEALERS && before.users >= LARGE_USERS) {
    timingsMs.total = Math.round(performance.now() - t0);
    return { skipped: true, dealers: before.dealers, users: before.users, organizationsInserted: 0, usersInserted: 0, timingsMs };
  }

  const plan = buildLargePlan();
  const passwordHash = await cachedHash(DEMO_PASSWORD);
  lap("plan+hash");

  const ctx = systemCtx(db, "seed");
  let organizationsInserted = 0;
  await inScope(ctx, async (tx) => {
    const g = await tx.insert(organizations).values(plan.groups).onConflictDoNothing().returning({ id: organizations.id });
    organizationsInserted += g.length;
    const groupIds = new Map(
      (await tx.select({ id: organizations.id, code: organizations.code }).from(organizations).where(eq(organizations.type, "dealer_group"))).map(
        (r) => [r.code, r.id],
      ),
    );
    for (let i = 0; i < plan.dealers.length; i += BATCH) {
      const rows = plan.dealers.slice(i, i + BATCH).map(({ groupCode, ...d }) => ({ ...d, parentId: groupCode ? groupIds.get(groupCode)! : null }));
      const inserted = await tx.insert(organizations).values(rows).onConflictDoNothing().returning({ id: organizations.id });
      organizationsInserted += inserted.length;
    }
  });
  lap("organizations");
  log(`organisations: ${organizationsInserted} inserted`);

  let usersInserted = 0;
  await inScope(ctx, async (tx) => {
    const codes = [...new Set(plan.users.map((u) => u.orgCode))];
    const orgIds = new Map(
      (await tx.select({ id: organizations.id, code: organizations.code }).from(organizations).where(inArray(organizations.code, codes))).map((r) => [
        r.code,
        r.id,
      ]),
    );
    for (let i = 0; i < plan.users.length; i += BATCH) {
      const rows = plan.users.slice(i, i + BATCH).map(({ orgCode, ...u }) => {
        const organizationId = orgIds.get(orgCode);
        if (!organizationId) throw new Error(`seed:large: organisation ${orgCode} is missing`);
        return { ...u, organizationId, passwordHash };
      });
      const inserted = await tx.insert(users).values(rows).onConflictDoNothing().returning({ id: users.id });
      usersInserted += inserted.length;
      if ((i / BATCH) % 10 === 9) log(`users: ${i + rows.length}/${plan.users.length} planned rows written`);
    }
  });
  lap("users");
  log(`users: ${usersInserted} inserted`);

  // Fresh statistics, so the planner knows the tables are no longer tiny (PGlite has no autovacuum).
  // ANALYZE needs the table owner: the login user, not the application role the client switched to.
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local role none`);
      await tx.execute(sql`analyze regions, organizations, users`);
    });
  } catch (error) {
    log(`analyze skipped (${error instanceof Error ? error.message : String(error)}); run ANALYZE as the table owner`);
  }
  lap("analyze");

  const after = await counts(db);
  timingsMs.total = Math.round(performance.now() - t0);
  return { skipped: false, dealers: after.dealers, users: after.users, organizationsInserted, usersInserted, timingsMs };
}

// ---------------------------------------------------------------------------------------------
async function main() {
  const started = performance.now();
  const url = process.env.DATABASE_URL;
  const database = await openDatabase({ url, dataDir: process.env.PGLITE_DIR });
  const opened = performance.now();
  console.log(`seed:large into ${database.kind === "postgres" ? "PostgreSQL (DATABASE_URL)" : `PGlite at ${path.resolve(process.env.PGLITE_DIR ?? ".data/pglite")}`}`);
  try {
    const result = await seedLarge(database.db, (line) => console.log(`  ${line}`));
    const total = await counts(database.db);
    console.log(
      result.skipped
        ? `already at size: ${total.dealers} dealers, ${total.organizations} organisations, ${total.users} users — nothing to do`
        : `done: ${total.dealers} dealers, ${total.organizations} organisations, ${total.users} users ` +
            `(+${result.organizationsInserted} organisations, +${result.usersInserted} users)`,
    );
    const t = result.timingsMs;
    console.log(
      `elapsed: ${((performance.now() - started) / 1000).toFixed(1)} s total — open+migrate ${Math.round(opened - started)} ms, ` +
        Object.entries(t)
          .map(([k, v]) => `${k} ${v} ms`)
          .join(", "),
    );
    console.log(JSON.stringify({ kind: database.kind, ...total, ...result, openMs: Math.round(opened - started) }));
  } finally {
    await database.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error) => {
    process.stderr.write(`seed:large failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
