"""MCLRec written from mclrec-spec (sections 2-9) in PyTorch, float32, Beauty preset (lambda 0, dropout 0.5, uniform
batches of 256), as an independent check of seqrec's trainer (see README.md here). Not part of the build.

Trains several independent models side by side, one per --models entry (beta:seed): every parameter carries a
leading model axis, so one kernel serves all of them, each model draws its own initialisation, batch order, views and
dropout, and Adam (elementwise) keeps them independent. Each model validates after every epoch, keeps its best
weights by MRR@10 (rounded to 4 decimals, strict improvement) and stops at the 11th epoch without improvement; the
test split is evaluated once with the kept weights. Ranking as the spec's section 3: full catalogue, history items
kept, padding -inf, ties: smaller id first.

    python3 pytorch_spec_train.py --models 0.05:2020,0.01:2020 --device cuda --out DIR [--time-limit SECONDS]
    python3 pytorch_spec_train.py --models 0.05:2020 --steps 514        # first-epoch comparison, logs every 50 steps
    python3 pytorch_spec_train.py --device cuda --graphs --state FILE ...  # GPU: CUDA graphs, resumable across calls

On CPU it needs python3-torch and libopenblas0-pthread (Debian's torch otherwise uses the reference BLAS).
"""
import argparse, json, math, multiprocessing as mp, os, random, sys, time
import numpy as np, torch
import torch.nn.functional as F

L, D, HEADS, EPS = 50, 64, 2, 1e-12
HS = D // HEADS
LAMBDA, TAU, REGW, DROP, BATCH, PATIENCE = 0.0, 1.0, 0.1, 0.5, 256, 10
CROP, MASK, REORDER = 0.5, 0.5, 0.8
CUTOFFS = (5, 10, 20, 50)
SAMPLES = None  # (history, target) pairs, shared with the batch workers
PAD_TO = None  # None: pad each batch to its longest sequence; L: to the fixed shape a CUDA graph needs


def read_users(path, limit):
    users = [list(map(int, l.split()[1:])) for l in open(path)]
    return users[:limit] if limit else users


def training_samples(users):
    out = []
    for u in users:
        tr = u[:-2]
        for t in range(1, len(tr)):
            out.append((tr[:t][-L:], tr[t]))
    return out


def view(h, op, rng):
    n = len(h)
    if op == 'crop':
        k = int(n * (1 - CROP)); s = rng.randint(0, n - k); return h[s:s + k]
    if op == 'mask':
        v = list(h)
        for p in rng.sample(range(n), int(n * MASK)): v[p] = 0
        return v
    w = int(n * REORDER); s = rng.randint(0, n - w); v = list(h); seg = v[s:s + w]; rng.shuffle(seg); v[s:s + w] = seg
    return v


def views(h, rng):
    if len(h) < 2: return h, h
    o1, o2 = rng.sample(['crop', 'mask', 'reorder'], 2)
    return view(h, o1, rng), view(h, o2, rng)


def pad(seqs_by_model, to=None):
    """K lists of B sequences -> ids [K, B, T] (right padding, T = longest or `to`) and lengths [K, B]. More right
    padding changes no output: attention is causal and padded keys are masked."""
    T = to or max(len(s) for seqs in seqs_by_model for s in seqs)
    ids = np.zeros((len(seqs_by_model), len(seqs_by_model[0]), T), dtype=np.int64)
    ln = np.zeros(ids.shape[:2], dtype=np.int64)
    for k, seqs in enumerate(seqs_by_model):
        for b, s in enumerate(seqs):
            ids[k, b, :len(s)] = s; ln[k, b] = len(s)
    return ids, ln


def make_batch(task):
    """One step's batches for all models; the views' RNG depends only on (seed, epoch, step)."""
    orders, seeds, epoch, step = task
    H, V1, V2, Y = [], [], [], []
    for order, seed in zip(orders, seeds):
        rng = random.Random((seed * 1000 + epoch) * 100000 + step)
        batch = [SAMPLES[i] for i in order]
        hs = [b[0] for b in batch]; vs = [views(h, rng) for h in hs]
        H.append(hs); V1.append([v[0] for v in vs]); V2.append([v[1] for v in vs]); Y.append([b[1] for b in batch])
    return pad(H, PAD_TO), pad(V1, PAD_TO), pad(V2, PAD_TO), np.array(Y, dtype=np.int64)


class Models:
    """K independent MCLRec models (encoder theta, augmenters phi) with a leading model axis on every tensor."""

    def __init__(self, seeds, n_items, dev):
        K = len(seeds); gens = [torch.Generator().manual_seed(s) for s in seeds]
        normal = lambda *s: torch.stack([torch.randn(*s, generator=g) * 0.02 for g in gens])
        uniform = lambda fan, *s: torch.stack([(torch.rand(*s, generator=g) * 2 - 1) / math.sqrt(fan) for g in gens])
        ones, zeros = lambda *s: torch.ones(K, *s), lambda *s: torch.zeros(K, *s)
        t = {'E': normal(n_items + 1, D), 'P': normal(L, D), 'g0': ones(D), 'b0': zeros(D)}
        for b in range(2):
            for w, (i, o) in {'q': (D, D), 'k': (D, D), 'v': (D, D), 'o': (D, D), '1': (D, 4 * D), '2': (4 * D, D)}.items():
                t['w%s%d' % (w, b)] = normal(o, i); t['b%s%d' % (w, b)] = zeros(o)
            for n in ('a', 'f'):
                t['g%s%d' % (n, b)] = ones(D); t['n%s%d' % (n, b)] = zeros(D)
        a = {}
        for m in range(2):
            for j, (i, o) in enumerate(((D, 32), (32, 16), (16, D))):
                a['w%d%d' % (m, j)] = uniform(i, o, i); a['b%d%d' % (m, j)] = uniform(i, o)
        self.theta = {k: v.to(dev).requires_grad_() for k, v in t.items()}
        self.phi = {k: v.to(dev).requires_grad_() for k, v in a.items()}
        self.K, self.dev = K, dev

    def encode(self, ids, ln, train):
        p, K, B, T = self.theta, *ids.shape
        drop = lambda x: F.dropout(x, DROP, train)
        lin = lambda x, w, b: Linear.apply(x.reshape(K, -1, x.shape[-1]), p['w%s%d' % (w, b)],
                                           p['b%s%d' % (w, b)]).view(K, B, T, -1)
        norm = lambda x, g, n: F.layer_norm(x, (D,), eps=EPS) * p[g][:, None, None] + p[n][:, None, None]
        E = torch.cat((p['E'][:, :1].detach(), p['E'][:, 1:]), 1)  # looking up id 0 trains nothing (spec 4.3)
        x = E.gather(1, ids.reshape(K, -1, 1).expand(-1, -1, D)).view(K, B, T, D) + p['P'][:, None, :T]
        x = drop(norm(x, 'g0', 'b0'))
        vis = (ids != 0)[:, :, None, :] & torch.ones(T, T, dtype=torch.bool, device=self.dev).tril()
        mask = torch.zeros(vis.shape, device=self.dev).masked_fill(~vis, -10000.0).view(K * B, 1, T, T)
        heads = lambda y: y.view(K * B, T, HEADS, HS).transpose(1, 2)
        for b in range(2):
            q, k, v = (heads(lin(x, w, b)) for w in 'qkv')
            att = drop(torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(HS) + mask, -1))
            c = (att @ v).transpose(1, 2).reshape(K, B, T, D)
            x = norm(x + drop(lin(c, 'o', b)), 'ga%d' % b, 'na%d' % b)
            x = norm(x + drop(lin(gelu(lin(x, '1', b)), '2', b)), 'gf%d' % b, 'nf%d' % b)
        return x.gather(2, (ln - 1).view(K, B, 1, 1).expand(-1, -1, 1, D)).squeeze(2)

    def augment(self, m, h):
        z = h
        for j in range(3):
            z = torch.baddbmm(self.phi['b%d%d' % (m, j)].unsqueeze(1), z, self.phi['w%d%d' % (m, j)].transpose(1, 2))
            if j < 2: z = gelu(z)
        return z / z.norm(dim=-1, keepdim=True).clamp_min(1e-12)

    def meta(self, h1, h2):
        z1, z2 = self.augment(0, h1), self.augment(1, h2)
        pairs = ((h1, z2), (h2, z1), (z1, z2))
        return sum(nce(a, b) for a, b in pairs) + REGW * sum(regulariser(a, b) for a, b in pairs)

    def scores(self, h, items):
        s = torch.bmm(h, self.theta['E'][:, :items].transpose(1, 2))
        s[:, :, 0] = float('-inf')
        return s

    def snapshot(self):
        return {k: v.detach().clone() for k, v in self.theta.items()}


class Linear(torch.autograd.Function):
    """x [K, N, in] -> x W^T + b for K models. The weight gradient sums SPLIT partial products: as one product per
    model, a [64, 64] result over a reduction of N = 12800 rows, cuBLAS ran 16 thread blocks on a 132-SM H100 and
    took 45% of the step (pytorch_spec_profile.py)."""
    SPLIT = 32

    @staticmethod
    def forward(ctx, x, w, b):
        ctx.save_for_backward(x, w)
        return torch.baddbmm(b.unsqueeze(1), x, w.transpose(1, 2))

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        (K, N, i), o = x.shape, w.shape[1]
        s = Linear.SPLIT if N % Linear.SPLIT == 0 else 1
        gw = torch.bmm(g.reshape(K * s, N // s, o).transpose(1, 2), x.reshape(K * s, N // s, i)).view(K, s, o, i).sum(1)
        return torch.bmm(g, w), gw, g.sum(1)


def gelu(x): return 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))


NEGATIVES = {}  # (B, device) -> for each of the 2B rows, the columns of its 2B - 2 negatives


def pairs_and_negatives(a, b, tau):
    u = torch.cat((a, b), 1); s = u @ u.transpose(1, 2) / tau; K, B = a.shape[:2]
    r = torch.arange(2 * B, device=a.device); partner = (r + B) % (2 * B)
    if (B, a.device) not in NEGATIVES:  # a gather with fixed indices: boolean indexing would wait for the GPU
        keep = torch.ones(2 * B, 2 * B, dtype=torch.bool); keep[r.cpu(), r.cpu()] = False
        keep[r.cpu(), partner.cpu()] = False
        NEGATIVES[(B, a.device)] = keep.nonzero()[:, 1].view(2 * B, 2 * B - 2).to(a.device)
    negatives = s.gather(2, NEGATIVES[(B, a.device)].expand(K, -1, -1))
    return s[:, r, partner], negatives


def nce(a, b, tau=1.0):
    p, n = pairs_and_negatives(a, b, tau)
    return (torch.logsumexp(torch.cat((p.unsqueeze(-1), n), -1), -1) - p).mean(1)


def regulariser(a, b):
    p, n = pairs_and_negatives(a, b, TAU); q = n.max(-1).values
    return (p - torch.minimum(p, q)).mean(1) + (torch.maximum(p, q).unsqueeze(-1) - n).mean((1, 2))


def train_step(M, opt_theta, opt_phi, betas, h, hl, v1, l1, v2, l2, y):
    """One step of the spec's three passes (section 8) for every model; returns [K, 4]: rec, cl2, reg, total."""
    for pss in (1, 2, 3):
        if pss == 2:
            with torch.no_grad(): e1, e2 = M.encode(v1, l1, True), M.encode(v2, l2, True)
            opt_phi.zero_grad(set_to_none=True); M.meta(e1, e2).sum().backward(); opt_phi.step()
            continue
        for t in M.phi.values(): t.requires_grad_(False)
        e, e1, e2 = M.encode(h, hl, True), M.encode(v1, l1, True), M.encode(v2, l2, True)
        logits = torch.bmm(e, M.theta['E'].transpose(1, 2))
        rec = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.view(-1), reduction='none').view(M.K, -1).mean(1)
        z1, z2 = M.augment(0, e1), M.augment(1, e2)
        cl2 = nce(e1, z2) + nce(e2, z1) + nce(z1, z2)
        reg = regulariser(e1, z2) + regulariser(e2, z1) + regulariser(z1, z2)
        loss = rec + (LAMBDA * nce(e1, e2, TAU) if LAMBDA else 0) + betas * (cl2 + REGW * reg)
        opt_theta.zero_grad(set_to_none=True); loss.sum().backward(); opt_theta.step()
        for t in M.phi.values(): t.requires_grad_(True)
    return torch.stack((rec, cl2, reg, loss), 1).detach()


class GraphedSteps:
    """Replays train_step as one CUDA graph for full batches (PyTorch's per-kernel launch cost, not the GPU, set the
    eager pace: 107 ms a step for one model). The first WARMUP full batches run eagerly (real steps, on a side stream
    as PyTorch's whole-network capture recipe asks), the next one is captured and replayed; a short last batch runs
    eagerly. Dropout draws fresh masks on every replay (PyTorch's graph-safe generator)."""
    WARMUP = 3

    def __init__(self, step, dev):
        self.step, self.dev, self.static, self.out, self.graph, self.eager_full = step, dev, None, None, None, 0
        self.failed = False

    def __call__(self, batch):
        (h, hl), (v1, l1), (v2, l2), y = batch
        arrays = (h, hl, v1, l1, v2, l2, y)
        if h.shape[1] != BATCH or self.failed: return self.step(*(torch.from_numpy(x).to(self.dev) for x in arrays))
        if self.eager_full < self.WARMUP:
            ts = [torch.from_numpy(x).to(self.dev) for x in arrays]
            self.eager_full += 1
            side = torch.cuda.Stream(); side.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(side): out = self.step(*ts)
            torch.cuda.current_stream().wait_stream(side)
            return out
        if self.graph is None:
            self.static = [torch.from_numpy(x).to(self.dev) for x in arrays]
            try:
                self.graph = torch.cuda.CUDAGraph()
                with torch.cuda.graph(self.graph): self.out = self.step(*self.static)
            except Exception as e:  # capture records without running: this batch has not been trained on yet
                print('CUDA graph capture failed, going on eagerly: %r' % e, flush=True)
                self.failed, self.graph = True, None
                return self.step(*self.static)
            print('CUDA graph captured', flush=True)
        else:
            for dst, x in zip(self.static, arrays): dst.copy_(torch.from_numpy(x))
        self.graph.replay()
        return self.out.clone()


def evaluate(models, users, split, dev, batch=1024):
    """Per model: HR, NDCG, MRR at CUTOFFS over all users (valid: history u[:-2] -> u[-2]; test: u[:-1] -> u[-1])."""
    cut = 2 if split == 'valid' else 1
    n_items = models.theta['E'].shape[1]
    sums = torch.zeros(models.K, 3, len(CUTOFFS), dtype=torch.float64, device=dev)
    with torch.no_grad():
        for s0 in range(0, len(users), batch):
            us = users[s0:s0 + batch]
            ids, ln = pad([[u[:-cut][-L:] for u in us]] * models.K)
            target = torch.tensor([u[-cut] for u in us], device=dev)
            sc = models.scores(models.encode(torch.from_numpy(ids).to(dev), torch.from_numpy(ln).to(dev), False), n_items)
            t = sc.gather(2, target.view(1, -1, 1).expand(models.K, -1, 1))
            idx = torch.arange(n_items, device=dev).view(1, 1, -1)
            rank = 1 + (sc > t).sum(2) + ((sc == t) & (idx < target.view(1, -1, 1))).sum(2)
            for c, k in enumerate(CUTOFFS):
                hit = (rank <= k).double()
                sums[:, 0, c] += hit.sum(1)
                sums[:, 1, c] += (hit / torch.log2(rank.double() + 1)).sum(1)
                sums[:, 2, c] += (hit / rank.double()).sum(1)
    m = (sums / len(users)).cpu().numpy()
    return [{'%s@%d' % (name, k): float(m[i, j, c]) for j, name in enumerate(('hr', 'ndcg', 'mrr'))
             for c, k in enumerate(CUTOFFS)} for i in range(models.K)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', default='/work/shared/data/amazon-beauty/beauty.txt')
    ap.add_argument('--models', default='0.05:2020', help='comma-separated beta:seed, trained side by side')
    ap.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    ap.add_argument('--epochs', type=int, default=100)
    ap.add_argument('--steps', type=int, default=0, help='stop after this many steps and log weight norms (0: full run)')
    ap.add_argument('--time-limit', type=float, default=float('inf'), help='seconds; then test the best kept so far')
    ap.add_argument('--limit-users', type=int, default=0, help='first N users only (smoke tests)')
    ap.add_argument('--workers', type=int, default=4)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--out', default='.')
    ap.add_argument('--graphs', action='store_true', help='CUDA: replay each full step as one CUDA graph')
    ap.add_argument('--tf32', action='store_true', help='CUDA: float32 matrix products in TF32 (PyTorch < 1.12 did '
                    'this by default on Ampere GPUs)')
    ap.add_argument('--state', metavar='FILE', help='training state saved after every epoch and resumed from when '
                    'the file exists: a run longer than one command goes on in the next call on the same machine')
    ap.add_argument('--check-reference', metavar='DIR', help='evaluate the reference checkpoint (.npy files) and exit')
    a = ap.parse_args()
    global SAMPLES, PAD_TO
    torch.set_num_threads(a.threads)
    torch.set_float32_matmul_precision('high' if a.tf32 else 'highest')
    PAD_TO = L if a.graphs else None
    specs = [(float(b), int(s)) for b, s in (m.split(':') for m in a.models.split(','))]
    betas = torch.tensor([b for b, _ in specs], device=a.device); seeds = [s for _, s in specs]
    names = ['beta%s-seed%d%s' % (b, s, '-tf32' if a.tf32 else '') for b, s in specs]
    torch.manual_seed(seeds[0])  # dropout masks
    users = read_users(a.data, a.limit_users); SAMPLES = training_samples(users)
    n_items = max(max(u) for u in users)
    print('samples %d items %d models %s device %s %s' % (len(SAMPLES), n_items, names, a.device,
          torch.cuda.get_device_name() if a.device.startswith('cuda') else ''), flush=True)
    pool = mp.get_context('fork').Pool(a.workers)  # before CUDA starts: the workers only build batches
    M = Models(seeds, n_items, a.device)
    if a.check_reference:
        load_reference(M, a.check_reference, n_items)
        for split in ('valid', 'test'): print(split, json.dumps(evaluate(M, users, split, a.device)[0]), flush=True)
        return
    adam = dict(lr=1e-3, capturable=True) if a.graphs else dict(lr=1e-3)
    opt_theta = torch.optim.Adam(M.theta.values(), **adam); opt_phi = torch.optim.Adam(M.phi.values(), **adam)
    step_of = lambda *ts: train_step(M, opt_theta, opt_phi, betas, *ts)
    if a.graphs:
        run_step = GraphedSteps(step_of, a.device)
    else:
        run_step = lambda b: step_of(*(torch.from_numpy(x).to(a.device) for x in (*b[0], *b[1], *b[2], b[3])))
    os.makedirs(a.out, exist_ok=True)
    best = [-1.0] * M.K; best_epoch = [0] * M.K; waiting = [0] * M.K; stopped = [False] * M.K
    kept = M.snapshot()
    t0 = time.time(); step = 0; epoch = 0; reason = 'epoch limit'
    resumed = bool(a.state) and os.path.exists(a.state)
    if resumed:
        st = torch.load(a.state, map_location=a.device, weights_only=False)
        assert st['names'] == names, 'state file %s holds %s' % (a.state, st['names'])
        with torch.no_grad():
            for group in ('theta', 'phi', 'kept'):
                for n, v in st[group].items(): (getattr(M, group) if group != 'kept' else kept)[n].copy_(v)
        opt_theta.load_state_dict(st['opt_theta']); opt_phi.load_state_dict(st['opt_phi'])
        best, best_epoch, waiting, stopped, epoch, step = (st[k] for k in ('best', 'best_epoch', 'waiting', 'stopped', 'epoch', 'step'))
        torch.set_rng_state(st['rng']); torch.cuda.set_rng_state(st['cuda_rng']) if st['cuda_rng'] is not None else None
        print('resumed after epoch %d from %s' % (epoch, a.state), flush=True)
    curves = [open(os.path.join(a.out, 'curve-%s.csv' % n), 'a' if resumed else 'w') for n in names]
    while epoch < a.epochs:
        epoch += 1; te = time.time(); parts = torch.zeros(M.K, 4, device=a.device); n_steps = 0
        orders = [random.Random(s * 1000 + epoch).sample(range(len(SAMPLES)), len(SAMPLES)) for s in seeds]
        tasks = [([o[i:i + BATCH] for o in orders], seeds, epoch, i // BATCH) for i in range(0, len(SAMPLES), BATCH)]
        for batch in pool.imap(make_batch, tasks, chunksize=2):
            out = run_step(batch); parts += out; n_steps += 1; step += 1
            if epoch == 1 and n_steps in (20, 100, 300):
                torch.cuda.synchronize() if a.device.startswith('cuda') else None
                print('  step %d: %.1f ms a step so far' % (n_steps, 1000 * (time.time() - te) / n_steps), flush=True)
            if a.steps and (step % 50 == 0 or step == a.steps or step <= 3):
                print('step %d  %.0fs  loss %s  lastLN gain norm %s  E row norm %s' % (step, time.time() - t0,
                      fmt(out[:, 3]), fmt(M.theta['gf1'].norm(dim=1)), fmt(M.theta['E'][:, 1:].norm(dim=2).mean(1))), flush=True)
            if a.steps and step >= a.steps: break
        if a.steps and step >= a.steps: reason = 'step limit'; break
        train_s = time.time() - te
        valid = evaluate(M, users, 'valid', a.device)
        parts = (parts / n_steps).cpu().numpy()
        gain = M.theta['gf1'].norm(dim=1).tolist(); erow = M.theta['E'][:, 1:].norm(dim=2).mean(1).tolist()
        for k in range(M.K):
            if stopped[k]: continue
            crit = round(valid[k]['mrr@10'], 4)
            if crit > best[k]:
                best[k], best_epoch[k], waiting[k] = crit, epoch, 0
                for n, v in M.theta.items(): kept[n][k] = v.detach()[k]
            else:
                waiting[k] += 1; stopped[k] = waiting[k] > PATIENCE
            row = [epoch, *parts[k], gain[k], erow[k], *valid[k].values()]
            if epoch == 1: curves[k].write('epoch,rec,cl2,reg,total,last_ln_gain_norm,item_row_norm,'
                                          + ','.join('valid_' + m for m in valid[k]) + '\n')
            curves[k].write(','.join('%.6g' % x for x in row) + '\n'); curves[k].flush()
        print('epoch %d  train %.1fs (%.1f ms a step)  valid %.1fs  elapsed %.0fs  ' % (epoch, train_s, 1000 * train_s / n_steps,
              time.time() - te - train_s, time.time() - t0)
              + '  '.join('%s: loss %.4f MRR@10 %.4f HR@20 %.4f gain %.2f%s' % (names[k], parts[k][3], valid[k]['mrr@10'],
                          valid[k]['hr@20'], gain[k], ' (stopped)' if stopped[k] else '') for k in range(M.K)), flush=True)
        if a.state:  # written aside, then renamed: a command killed mid-save leaves the last epoch's state
            torch.save({'names': names, 'theta': M.snapshot(), 'phi': {n: v.detach() for n, v in M.phi.items()}, 'kept': kept,
                        'opt_theta': opt_theta.state_dict(), 'opt_phi': opt_phi.state_dict(), 'best': best,
                        'best_epoch': best_epoch, 'waiting': waiting, 'stopped': stopped, 'epoch': epoch, 'step': step,
                        'rng': torch.get_rng_state(),
                        'cuda_rng': torch.cuda.get_rng_state() if a.device.startswith('cuda') else None}, a.state + '.tmp')
            os.replace(a.state + '.tmp', a.state)
        if all(stopped): reason = 'early stopping'; break
        if time.time() - t0 > a.time_limit: reason = 'time limit'; break
    pool.terminate()
    if a.steps: return
    for n, v in kept.items(): M.theta[n].data.copy_(v)
    test = evaluate(M, users, 'test', a.device)
    with open(os.path.join(a.out, 'summary.json'), 'w') as f:
        for k in range(M.K):
            r = {'model': names[k], 'beta': specs[k][0], 'seed': seeds[k], 'epochs_run': epoch, 'best_epoch': best_epoch[k],
                 'stopped_by': 'early stopping' if stopped[k] else reason, 'valid_mrr@10_best': best[k],
                 'last_ln_gain_norm_kept': M.theta['gf1'][k].norm().item(), 'test': test[k]}
            f.write(json.dumps(r) + '\n'); print(json.dumps(r), flush=True)


def load_reference(M, folder, n_items):
    """The reference checkpoint's tensors into every model slot: checks this file's forward pass and ranking."""
    get = lambda n: torch.from_numpy(np.load(os.path.join(folder, n + '.npy')))
    names = {'E': 'item_embedding.weight', 'P': 'position_embedding.weight', 'g0': 'LayerNorm.weight', 'b0': 'LayerNorm.bias'}
    for b in range(2):
        pre = 'trm_encoder.layer.%d.' % b; att = pre + 'multi_head_attention.'; ff = pre + 'feed_forward.'
        for w, n in (('q', att + 'query'), ('k', att + 'key'), ('v', att + 'value'), ('o', att + 'dense'),
                     ('1', ff + 'dense_1'), ('2', ff + 'dense_2')):
            names['w%s%d' % (w, b)] = n + '.weight'; names['b%s%d' % (w, b)] = n + '.bias'
        names.update({'ga%d' % b: att + 'LayerNorm.weight', 'na%d' % b: att + 'LayerNorm.bias',
                      'gf%d' % b: ff + 'LayerNorm.weight', 'nf%d' % b: ff + 'LayerNorm.bias'})
    with torch.no_grad():
        for k, n in names.items():
            t = get(n)[:n_items + 1] if k == 'E' else get(n)
            M.theta[k].copy_(t.expand_as(M.theta[k]))


def fmt(t): return '[' + ' '.join('%.3f' % x for x in t.tolist()) + ']'


if __name__ == '__main__':
    main()
