/**
 * The at-risk board refreshes itself: every minute (while the tab is shown) it reads the board as
 * JSON from its own address and writes the figures into the cells marked `data-board`, then says
 * when in the status line. A failed read leaves the figures as they were and says so.
 */
const EVERY_MS = 60_000;

interface Figures {
  teams: { team: string; figures: Record<string, { count: number; more: boolean }> }[];
  refreshedAt: string;
}

/** The board's words in the page's language, from the board element's data attributes. */
function text(name: string): string {
  return document.getElementById('board')?.dataset[name] ?? '';
}

async function refresh(): Promise<void> {
  const status = document.getElementById('board-status');
  try {
    const response = await fetch(location.pathname + location.search, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(String(response.status));
    const board = (await response.json()) as Figures;
    for (const team of board.teams)
      for (const [metric, figure] of Object.entries(team.figures)) {
        const cell = document.querySelector(`[data-board="${CSS.escape(`${team.team}:${metric}`)}"]`);
        if (cell) cell.textContent = `${figure.count}${figure.more ? '+' : ''}`;
      }
    if (status)
      status.textContent = `${text('refreshed')} ${new Date(board.refreshedAt).toLocaleTimeString(document.documentElement.lang)}`;
  } catch {
    if (status) status.textContent = text('failed');
  }
}

setInterval(() => {
  if (document.visibilityState === 'visible') void refresh();
}, EVERY_MS);
