// The data the server wrote into the page with its first frame (markup/first-frame.ts): the site
// list, the clock and the likely causes. Read from the page once and kept, since the app removes the
// block once it has taken the frame over — before the grid's panels are made, which read it too.
import { FIRST_FRAME_DATA_ID, type FirstFrameData } from './markup/first-frame.ts';

let read = false;
let data: FirstFrameData | undefined;
let causesTaken = false;

/** The first frame's data, if the page came with one. */
export function firstFrameData(): FirstFrameData | undefined {
  if (read) return data;
  read = true;
  const text = document.getElementById(FIRST_FRAME_DATA_ID)?.textContent;
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as FirstFrameData;
    data = Array.isArray(parsed.sites) && parsed.clock ? parsed : undefined;
  } catch {
    data = undefined; // a page cut short: the list is fetched as without a first frame
  }
  return data;
}

/**
 * The likely causes the frame was drawn with, to the first panel that asks (the grid as the page
 * loads); undefined after that, when a panel made later must not show causes minutes old.
 */
export function takeFirstFrameCauses(): FirstFrameData['causes'] {
  if (causesTaken) return undefined;
  causesTaken = true;
  return firstFrameData()?.causes;
}
