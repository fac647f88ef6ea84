// Runs background requests a few at a time, in the order they were asked for.
export function createQueue(concurrency) {
  const waiting = [];
  let running = 0;
  const next = () => {
    while (running < concurrency && waiting.length) {
      const work = waiting.shift();
      running++;
      Promise.resolve().then(work).catch(() => {}).finally(() => {
        running--;
        next();
      });
    }
  };
  return {
    push(work) {
      waiting.push(work);
      next();
    },
  };
}
