// @wardwatch/dashboard/first-frame — for the server: the dashboard's page with the site grid's first
// frame written into it (ui/markup/first-frame.ts). Plain text functions: no Lit, no DOM.
export { firstFrameHtml, withFirstFrame, type FirstFrameData } from './ui/markup/first-frame.ts';
