// The signed-in layout: navigation for the user's role, organisation, language switch, user menu.
import { Form, NavLink, useLocation } from "@remix-run/react";
import { DropdownMenu } from "radix-ui";
import type { ReactNode } from "react";
import type { UserActor } from "../domain/context";
import { can, type Permission } from "../domain/permissions";
import type { MessageKey } from "../i18n";
import { LanguageSwitch } from "./language-switch";
import { useT } from "./i18n";

type NavItem = { to: string; label: MessageKey; icon: string; permission?: Permission };
const sections: { title?: MessageKey; items: NavItem[] }[] = [
  { items: [{ to: "/home", label: "nav.home", icon: "⌂" }] },
  { items: [{ to: "/users", label: "nav.team", icon: "👥", permission: "user:manage_own_org" }] },
  {
    title: "nav.admin",
    items: [
      { to: "/organizations", label: "nav.organizations", icon: "🏢", permission: "organization:read" },
      { to: "/users", label: "nav.users", icon: "👤", permission: "user:manage_all" },
      { to: "/audit", label: "nav.audit", icon: "🧾", permission: "audit:read" },
    ],
  },
];

export type ShellUser = Pick<UserActor, "name" | "email" | "role" | "organizationName" | "organizationType">;

export function AppShell({ user, children }: { user: ShellUser; children: ReactNode }) {
  const t = useT();
  const location = useLocation();
  const initials = user.name.replace(/\s.*/, "").slice(0, 2).toUpperCase();
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
                  <NavLink key={item.to + item.label} to={item.to} prefetch="intent">
                    <span className="nav-icon" aria-hidden>
                      {item.icon}
                    </span>
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
                <Form method="post" action="/logout">
                  <DropdownMenu.Item asChild>
                    <button type="submit" className="menu-item" data-testid="logout">
                      {t("nav.logout")}
                    </button>
                  </DropdownMenu.Item>
                </Form>
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
