
test("task: search by reading: まつしま finds 松島公園, たまも finds 玉藻公園 (readings generated at build time)", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const meta = JSON.parse(fs.readFileSync(path.join(env.root, "search/meta.json"), "utf8"));
  if (!meta.readings) return t.skip("built without the readings feature (cargo build --features readings)");
  const page = await env.open("search/", { viewport: PHONE });
  for (const [query, name] of [["まつしま", "松島公園"], ["たまも", "玉藻公園"], ["マツシマ", "松島公園"]]) {
    const { items } = await search(page, query);
    assert.ok(items.some((text) => text.includes(name)), `${query} finds ${name}`);
  }
  // A generated reading is for search only: no page shows it as the name's reading.
  const record = await env.open("parks/takamatsu-park-1/", { viewport: PHONE });
  assert.equal(await record.locator(".kana").count(), 0);
  await record.context().close();
  await page.context().close();
});
