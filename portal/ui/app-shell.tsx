// The signed-in layout: navigation for the user's role, organisation, language switch, user menu.
import { NavLink, useLocation, useSubmit } from "@remix-run/react";
import { DropdownMenu } from "radix-ui";
import type { ReactNode } from "react";
import type { UserActor } from "../domain/context";
import { can, type Permission } from "../domain/permissions";
import type { MessageKey } from "../i18n";
import { LanguageSwitch } from "./language-switch";
import { useT } from "./i18n";

// Icons are inline SVG paths (24×24, stroked) so they render the same with or without emoji fonts.
const icons = {
  home: "M3 11l9-8 9 8M5 10v10h5v-6h4v6h5V10",
  team: "M16 19v-1a4 4 0 00-4-4H7a4 4 0 00-4 4v1M9.5 10a3 3 0 100-6 3 3 0 000 6M21 19v-1a4 4 0 00-3-3.9M15.5 4.1a3 3 0 010 5.8",
  building: "M4 21V5l8-3 8 3v16M9 21v-4h6v4M8 8h2M14 8h2M8 12h2M14 12h2",
  user: "M20 21v-1a5 5 0 00-5-5H9a5 5 0 00-5 5v1M12 11a4 4 0 100-8 4 4 0 000 8",
  audit: "M9 4h6M9 2h6v4H9zM7 4H5v18h14V4h-2M8 11h8M8 15h8M8 19h5",
  car: "M5 17h14M6 17v2M18 17v2M3 13l2-6h14l2 6v4H3zM7 13h.01M17 13h.01",
  parts: "M12 2l8 4.5v9L12 20l-8-4.5v-9zM12 11l8-4.5M12 11v9M12 11L4 6.5",
  alert: "M12 3l10 18H2zM12 10v4M12 17.5h.01",
  plug: "M9 2v6M15 2v6M6 8h12v3a6 6 0 01-12 0zM12 17v5",
  link: "M10 14a4 4 0 005.7 0l3-3a4 4 0 00-5.7-5.7l-1 1M14 10a4 4 0 00-5.7 0l-3 3a4 4 0 005.7 5.7l1-1",
} as const;

function Icon({ name }: { name: keyof typeof icons }) {
  return (
    <svg className="nav-icon" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <path d={icons[name]} />
    </svg>
  );
}

type NavItem = { to: string; label: MessageKey; icon: keyof typeof icons; permission?: Permission };
const sections: { title?: MessageKey; items: NavItem[] }[] = [
  { items: [{ to: "/home", label: "nav.home", icon: "home" }] },
  { items: [{ to: "/users", label: "nav.team", icon: "team", permission: "user:manage_own_org" }] },
  {
    items: [
      { to: "/vehicles", label: "nav.vehicles", icon: "car", permission: "inventory:read" },
      { to: "/parts", label: "nav.parts", icon: "parts", permission: "inventory:read" },
      { to: "/parts/alerts", label: "nav.stockAlerts", icon: "alert", permission: "inventory:read" },
    ],
  },
  {
    title: "nav.admin",
    items: [
      { to: "/organizations", label: "nav.organizations", icon: "building", permission: "organization:read" },
      { to: "/users", label: "nav.users", icon: "user", permission: "user:manage_all" },
      { to: "/audit", label: "nav.audit", icon: "audit", permission: "audit:read" },
      { to: "/integration", label: "nav.integration", icon: "plug", permission: "integration:monitor" },
      { to: "/integration/partners", label: "nav.partners", icon: "link", permission: "integration:monitor" },
    ],
  },
];

export type ShellUser = Pick<UserActor, "name" | "email" | "role" | "organizationName" | "organizationType">;

const allLinks = sections.flatMap((s) => s.items.map((i) => i.to));

export function AppShell({ user, children }: { user: ShellUser; children: ReactNode }) {
  const t = useT();
  const location = useLocation();
  const submit = useSubmit();
  // One character for a Chinese name (its family name), two letters for a Latin one.
  const first = user.name.trim();
  const initials = /^[\u3400-\u9fff]/.test(first) ? first[0]! : first.replace(/\s.*/, "").slice(0, 2).toUpperCase();
  return (
    <div className="shell">
      <a className="skip" href="#main">
        {t("app.skip")}
      </a>
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            DP
          </span>
          {t("app.name")}
        </div>
        <nav className="nav" aria-label={t("nav.menu")}>
          {sections.map((section, i) => {
            const items = section.items.filter((item) => !item.permission || can(user.role, item.permission));
            if (items.length === 0) return null;
            return (
              <div key={i} style={{ display: "contents" }}>
                {section.title ? <div className="nav-section">{t(section.title)}</div> : null}
                {items.map((item) => (
                  // A link whose path prefixes another link's (/parts, /parts/alerts) lights up only on its own page.
                  <NavLink key={item.to + item.label} to={item.to} prefetch="intent" end={allLinks.some((o) => o.startsWith(`${item.to}/`))}>
                    <Icon name={item.icon} />
                    {t(item.label)}
                  </NavLink>
                ))}
              </div>
            );
          })}
        </nav>
        <div className="sidebar-foot">{t("app.tagline")}</div>
      </aside>
      <div className="main">
        <header className="topbar">
          <span className="org">
            {user.organizationName} · {t(`orgTypes.${user.organizationType}`)}
          </span>
          <LanguageSwitch redirectTo={location.pathname + location.search} />
          <DropdownMenu.Root>
            <DropdownMenu.Trigger className="menu-trigger" aria-label={t("nav.account")} data-testid="user-menu">
              <span className="avatar" aria-hidden>
                {initials}
              </span>
              <span>{user.name}</span>
            </DropdownMenu.Trigger>
            <DropdownMenu.Portal>
              <DropdownMenu.Content className="menu-content" align="end" sideOffset={6}>
                <DropdownMenu.Label className="menu-label">
                  {user.email}
                  <br />
                  {t(`roles.${user.role}`)}
                </DropdownMenu.Label>
                <DropdownMenu.Separator className="menu-sep" />
                {/* Submitted through Remix: the menu unmounts on select, taking any DOM form with it. */}
                <DropdownMenu.Item
                  className="menu-item"
                  data-testid="logout"
                  onSelect={() => submit(null, { method: "post", action: "/logout" })}
                >
                  {t("nav.logout")}
                </DropdownMenu.Item>
              </DropdownMenu.Content>
            </DropdownMenu.Portal>
          </DropdownMenu.Root>
        </header>
        <main className="content" id="main">
          {children}
        </main>
      </div>
    </div>
  );
}
