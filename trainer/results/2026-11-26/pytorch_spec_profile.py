"""Where a training step of pytorch_spec_train.py spends its GPU time (H100, four models side by side, batches padded
to 50 as the CUDA-graph mode pads them): PyTorch's profiler over eager steps, then the eager step's time with float32
and with TF32 products, and the step's time replayed as a CUDA graph. Not part of the build.

    python3 pytorch_spec_profile.py DATA_FILE
"""
import os, random, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch
import pytorch_spec_train as S

data = sys.argv[1]; dev = os.environ.get('DEVICE', 'cuda'); seeds = [2020, 2021, 2022, 2023]
users = S.read_users(data, int(os.environ.get('LIMIT_USERS', 0))); S.SAMPLES = S.training_samples(users); S.PAD_TO = S.L
M = S.Models(seeds, max(max(u) for u in users), dev)
opt_theta = torch.optim.Adam(M.theta.values(), lr=1e-3, capturable=dev == 'cuda')
opt_phi = torch.optim.Adam(M.phi.values(), lr=1e-3, capturable=dev == 'cuda')
betas = torch.full((len(seeds),), 0.05, device=dev)
orders = [random.Random(s).sample(range(len(S.SAMPLES)), len(S.SAMPLES)) for s in seeds]
batches = [S.make_batch(([o[i * S.BATCH:(i + 1) * S.BATCH] for o in orders], seeds, 1, i)) for i in range(12)]
tensors = [[torch.from_numpy(x).to(dev) for x in (*b[0], *b[1], *b[2], b[3])] for b in batches]
sync = lambda: torch.cuda.synchronize() if dev == 'cuda' else None
step = lambda i: S.train_step(M, opt_theta, opt_phi, betas, *tensors[i % len(tensors)])
for i in range(3): step(i)
sync()
with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CUDA, torch.profiler.ProfilerActivity.CPU]) as prof:
    for i in range(5): step(i)
    sync()
for key in ('self_device_time_total', 'self_cuda_time_total'):
    try:
        print(prof.key_averages().table(sort_by=key, row_limit=16, max_name_column_width=60)); break
    except Exception as e:
        print('sort by %s: %r' % (key, e))
for precision in ('highest', 'high', 'highest'):
    torch.set_float32_matmul_precision(precision); step(0); sync(); t = time.time()
    for i in range(10): step(i)
    sync()
    print('eager step, matmul precision %s: %.1f ms' % (precision, 100 * (time.time() - t)), flush=True)
if dev == 'cuda':  # the same step replayed as one CUDA graph, as --graphs trains
    graphed = S.GraphedSteps(lambda *ts: S.train_step(M, opt_theta, opt_phi, betas, *ts), dev)
    for i in range(graphed.WARMUP + 2): graphed(batches[i])
    sync(); t = time.time()
    for i in range(20): graphed(batches[i % len(batches)])
    sync()
    print('CUDA graph step, float32: %.1f ms' % (50 * (time.time() - t)), flush=True)
