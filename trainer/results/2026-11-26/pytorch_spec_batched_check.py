"""Checks that pytorch_spec_train.py's side-by-side models are independent: model 2 of a pair gives the same
sequence vectors, losses and gradients as the same seed trained alone (dropout off), and the contrastive terms
give the spec's worked example (section 7.4: NCE 1.375590, Rg 0.533333). Not part of the build.

    python3 pytorch_spec_batched_check.py
"""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch, torch.nn.functional as F
import pytorch_spec_train as S

ITEMS, B, T = 100, 8, 7
pair, alone = S.Models([1, 2], ITEMS, 'cpu'), S.Models([2], ITEMS, 'cpu')
g = torch.Generator().manual_seed(0)
ids = torch.randint(0, ITEMS + 1, (2, B, T), generator=g); ids[:, :, 0] = torch.randint(1, ITEMS + 1, (2, B), generator=g)
lengths = torch.randint(1, T + 1, (2, B), generator=g)
targets = torch.randint(1, ITEMS + 1, (2, B), generator=g)


def loss(models, ids, lengths, targets):
    h = models.encode(ids, lengths, False)
    rec = F.cross_entropy(torch.bmm(h, models.theta['E'].transpose(1, 2)).reshape(-1, ITEMS + 1), targets.reshape(-1),
                          reduction='none').view(models.K, -1).mean(1)
    return rec + 0.05 * models.meta(h, 0.5 * h + 0.1)


l2, l1 = loss(pair, ids, lengths, targets), loss(alone, ids[1:], lengths[1:], targets[1:])
l2.sum().backward(); l1.sum().backward()
checks = {
    'sequence vectors': (pair.encode(ids, lengths, False)[1] - alone.encode(ids[1:], lengths[1:], False)[0]).abs().max(),
    'loss': (l2[1] - l1[0]).abs(),
    'encoder gradients': max((pair.theta[k].grad[1] - alone.theta[k].grad[0]).abs().max() for k in alone.theta),
    'augmenter gradients': max((pair.phi[k].grad[1] - alone.phi[k].grad[0]).abs().max() for k in alone.phi),
}
a = torch.tensor([[[1, 0], [0.6, 0.8], [0, 1]]]); b = torch.tensor([[[0.8, 0.6], [0, 1], [-0.6, 0.8]]])
checks['NCE worked example'] = (S.nce(a, b)[0] - 1.375590).abs()
checks['Rg worked example'] = (S.regulariser(a, b)[0] - 0.533333).abs()
for name, gap in checks.items():
    print('%-20s max difference %.2e' % (name, gap.item()))
assert all(gap.item() < 1e-6 for gap in checks.values()), 'side-by-side models differ from one model alone'
print('ok')
