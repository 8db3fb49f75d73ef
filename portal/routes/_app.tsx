// The signed-in layout: every route under it requires a session.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { ErrorPage } from "../root";
import { AppShell } from "../ui/app-shell";
import { requireUser } from "../web/request.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  return {
    user: {
      name: actor.name,
      email: actor.email,
      role: actor.role,
      organizationName: actor.organizationName,
      organizationType: actor.organizationType,
    },
  };
}

export default function AppLayout() {
  const { user } = useLoaderData<typeof loader>();
  return (
    <AppShell user={user}>
      <Outlet />
    </AppShell>
  );
}

/** Errors below the layout (404 of another organisation's object, …) keep the navigation around them. */
export function ErrorBoundary() {
  const data = useRouteLoaderData<typeof loader>("routes/_app");
  return data ? (
    <AppShell user={data.user}>
      <ErrorPage />
    </AppShell>
  ) : (
    <ErrorPage />
  );
}
