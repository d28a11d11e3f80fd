"""Writes golden.json: MCLRec's losses and gradients computed by PyTorch's autograd, for ReferenceGradientTest.

An independent implementation of mclrec-spec sections 4 (encoder), 7 (losses) and 8 (passes) in PyTorch, in float64
with dropout off, on the reference's trained Beauty weights as shipped (layout [out, in], 12,103 item rows, padding
index 0 for lookups), augmenters from a closed formula, and the 24 rows of batch.txt (history | target | view 1 |
view 2). Gradients are written in seqrec's names and layout ([in, out], N + 1 item rows). Needs python3-torch
(Debian's 1.13 was used) and ../shared; not part of the build:

    cd trainer/src/test/resources/reference-gradients
    /usr/bin/python3 make_golden.py ../../../../../../shared/data/mclrec-beauty-checkpoint > golden.json
"""
import json
import math
import sys

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
REF = sys.argv[1]
HERE = __file__.rsplit('/', 1)[0] if '/' in __file__ else '.'
LAMBDA, BETA, TAU, REG = 0.1, 0.05, 1.0, 0.1
L, D, HEADS, EPS = 50, 64, 2, 1e-12
HS = D // HEADS

def load(name):
    return torch.tensor(np.load('%s/%s.npy' % (REF, name)).astype(np.float64), requires_grad=True)

# seqrec name -> (reference name, transposed)
MAP = {'item_embedding': ('item_embedding.weight', False), 'position_embedding': ('position_embedding.weight', False),
       'input_norm.gain': ('LayerNorm.weight', False), 'input_norm.bias': ('LayerNorm.bias', False)}
PARTS = {'wq': 'multi_head_attention.query.weight', 'bq': 'multi_head_attention.query.bias',
         'wk': 'multi_head_attention.key.weight', 'bk': 'multi_head_attention.key.bias',
         'wv': 'multi_head_attention.value.weight', 'bv': 'multi_head_attention.value.bias',
         'wo': 'multi_head_attention.dense.weight', 'bo': 'multi_head_attention.dense.bias',
         'attention_norm.gain': 'multi_head_attention.LayerNorm.weight',
         'attention_norm.bias': 'multi_head_attention.LayerNorm.bias',
         'w1': 'feed_forward.dense_1.weight', 'b1': 'feed_forward.dense_1.bias',
         'w2': 'feed_forward.dense_2.weight', 'b2': 'feed_forward.dense_2.bias',
         'feed_forward_norm.gain': 'feed_forward.LayerNorm.weight',
         'feed_forward_norm.bias': 'feed_forward.LayerNorm.bias'}
for block in range(2):
    for ours, theirs in PARTS.items():
        MAP['block%d.%s' % (block, ours)] = ('trm_encoder.layer.%d.%s' % (block, theirs), ours[0] == 'w')
P = {ours: load(theirs) for ours, (theirs, _) in MAP.items()}

def augmenter_tensor(net, layer, kind, shape):
    """The closed formula ReferenceGradientTest uses as well: weights [in, out], biases [out]."""
    fan_in = shape[0]
    if kind == 'w':
        i = torch.arange(shape[0]).unsqueeze(1)
        j = torch.arange(shape[1]).unsqueeze(0)
        return torch.sin(0.37 * i + 0.61 * j + 1.3 * net + 0.7 * layer) / math.sqrt(fan_in)
    return 0.1 * torch.cos(0.5 * torch.arange(shape[0]) + net + layer)

WIDTHS = [D, 32, 16, D]
A = {}
for net in (1, 2):
    for layer, letter in enumerate('abc'):
        A['augmenter%d.w%s' % (net, letter)] = augmenter_tensor(net, layer, 'w', (WIDTHS[layer], WIDTHS[layer + 1]))
        A['augmenter%d.b%s' % (net, letter)] = augmenter_tensor(net, layer, 'b', (WIDTHS[layer + 1],))

def block_linear(x, block, w):
    return x @ P['block%d.w%s' % (block, w)].T + P['block%d.b%s' % (block, w)]

def norm(x, prefix):
    return torch.nn.functional.layer_norm(x, (D,), P[prefix + '.gain'], P[prefix + '.bias'], EPS)

def gelu(x):
    return 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))

def encode(histories):
    """Right-padded histories -> the output at each one's last column (spec 4)."""
    ids = torch.zeros(len(histories), L, dtype=torch.long)
    for r, h in enumerate(histories):
        ids[r, :len(h)] = torch.tensor(h)
    lengths = torch.tensor([len(h) for h in histories])
    x = torch.nn.functional.embedding(ids, P['item_embedding'], padding_idx=0) + P['position_embedding']
    x = norm(x, 'input_norm')
    visible = (ids != 0).unsqueeze(1).unsqueeze(2) & torch.tril(torch.ones(L, L, dtype=torch.bool))
    mask = torch.where(visible, 0.0, -10000.0)
    for b in range(2):
        def heads(t):
            return t.view(-1, L, HEADS, HS).transpose(1, 2)
        q, k, v = (heads(block_linear(x, b, w)) for w in 'qkv')
        attention = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(HS) + mask, -1)
        context = (attention @ v).transpose(1, 2).reshape(-1, L, D)
        x = norm(block_linear(context, b, 'o') + x, 'block%d.attention_norm' % b)
        x = norm(block_linear(gelu(block_linear(x, b, '1')), b, '2') + x, 'block%d.feed_forward_norm' % b)
    return x[torch.arange(len(histories)), lengths - 1]

def augment(net, h):
    z = h
    for layer, letter in enumerate('abc'):
        z = z @ A['augmenter%d.w%s' % (net, letter)] + A['augmenter%d.b%s' % (net, letter)]
        if layer < 2:
            z = gelu(z)
    return z / z.norm(dim=1, keepdim=True)

def scores(a, b, tau):
    """Positives p [2B] and negatives n [2B, 2B - 2] of the stacked pair (spec 7.1)."""
    u = torch.cat((a, b))
    s = u @ u.T / tau
    half = a.shape[0]
    rows = torch.arange(2 * half)
    partner = (rows + half) % (2 * half)
    keep = torch.ones_like(s, dtype=torch.bool)
    keep[rows, rows] = False
    keep[rows, partner] = False
    return s[rows, partner], s[keep].view(2 * half, -1)

def info_nce(a, b, tau):
    p, n = scores(a, b, tau)
    return (torch.logsumexp(torch.cat((p.unsqueeze(1), n), 1), 1) - p).mean()

def regulariser(a, b, tau):
    p, n = scores(a, b, tau)
    q = n.max(1).values
    return (p - torch.minimum(p, q)).mean() + (torch.maximum(p, q).unsqueeze(1) - n).mean()

def meta_term(h1, h2):
    z1, z2 = augment(1, h1), augment(2, h2)
    pairs = ((h1, z2), (h2, z1), (z1, z2))
    cl2 = sum(info_nce(a, b, 1.0) for a, b in pairs)
    reg = sum(regulariser(a, b, TAU) for a, b in pairs)
    return cl2, reg

def summary(name, gradient):
    g = gradient.detach().numpy()
    if name in P and MAP[name][1]:
        g = g.T
    if name == 'item_embedding':
        g = g[:-1]  # the unused mask row
    flat = g.reshape(-1)
    top = np.argsort(-np.abs(flat), kind='stable')[:16]
    return {'shape': list(g.shape), 'sum': float(flat.sum()), 'norm': float(np.linalg.norm(flat)),
            'entries': [[int(i), float(flat[i])] for i in sorted(top)]}

def main():
    rows = [line.split('|') for line in open(HERE + '/batch.txt')]
    parse = lambda s: [int(t) for t in s.split()]
    histories, targets = [parse(r[0]) for r in rows], torch.tensor([int(r[1]) for r in rows])
    view1, view2 = [parse(r[2]) for r in rows], [parse(r[3]) for r in rows]

    h, h1, h2 = encode(histories), encode(view1), encode(view2)
    rec = torch.nn.functional.cross_entropy(h @ P['item_embedding'][:-1].T, targets)
    cl1 = info_nce(h1, h2, TAU)
    cl2, reg = meta_term(h1, h2)
    total = rec + LAMBDA * cl1 + BETA * (cl2 + REG * reg)
    total.backward()
    encoder = {name: summary(name, p.grad) for name, p in P.items()}

    for t in A.values():
        t.requires_grad_(True)
    aug_cl2, aug_reg = meta_term(h1.detach(), h2.detach())
    aug_total = aug_cl2 + REG * aug_reg
    aug_total.backward()
    augmenters = {name: summary(name, t.grad) for name, t in A.items()}

    json.dump({'torch': torch.__version__, 'lambda': LAMBDA, 'beta': BETA,
               'encoderPass': {'losses': {'rec': rec.item(), 'cl1': cl1.item(), 'cl2': cl2.item(), 'reg': reg.item(),
                                          'total': total.item()}, 'gradients': encoder},
               'augmenterPass': {'losses': {'cl2': aug_cl2.item(), 'reg': aug_reg.item(), 'total': aug_total.item()},
                                 'gradients': augmenters}}, sys.stdout, indent=1)

main()
