// Any path that matches no route: a 404 page in the reader's language.
export async function loader() {
  throw new Response("Not Found", { status: 404 });
}

export default function NotFound() {
  return null;
}
