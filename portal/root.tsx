import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import styles from "./ui/styles.css?url";
import { Toaster } from "./ui/toaster";
import { useT, type RootData } from "./ui/i18n";
import { translate } from "./i18n";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ context }: LoaderFunctionArgs) {
  return {
    locale: context.locale,
    requestId: context.requestId,
    flash: context.flash,
  };
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData("root") as RootData | undefined;
  const locale = data?.locale ?? "zh-CN";
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{translate(locale, "app.name")}</title>
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <Outlet />
      <Toaster flash={data.flash} id={data.requestId} />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}

/** 404, 403 and 500 pages in the reader's language; used by the root and the signed-in layout. */
export function ErrorPage() {
  const error = useRouteError();
  const t = useT();
  const data = useRouteLoaderData("root") as RootData | undefined;
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const kind = status === 404 ? "notFound" : status === 403 ? "forbidden" : "server";
  return (
    <div className="error-page" data-testid={`error-${status}`}>
      <div>
        <div className="error-code">{status}</div>
        <h1>{t(`error.${kind}.title`)}</h1>
        <p className="muted">{t(`error.${kind}.body`, { requestId: data?.requestId ?? "—" })}</p>
        <p>
          <a className="btn btn-primary" href="/home">
            {t("error.goHome")}
          </a>
        </p>
      </div>
    </div>
  );
}
