// esbuild's "text" loader: importing a .css file gives its text (runtime.ts embeds the UI's CSS)
declare module "*.css" {
  const text: string;
  export default text;
}
