# usage: http_spread.py USER FIRST LAST -- one wrong basic-auth GET from each address 127.0.3.FIRST..LAST in parallel; counts answers
import http.client, base64, sys, threading
from collections import Counter
c = Counter()
def w(i):
    try:
        h = http.client.HTTPConnection('127.0.0.1', 19601, timeout=30, source_address=(f'127.0.3.{i}', 0))
        h.request('GET', '/api/v1/accounts/1002/balances', headers={'Authorization': 'Basic ' + base64.b64encode(f'{sys.argv[1]}:wrong{i}'.encode()).decode()})
        r = h.getresponse(); c[(r.status, r.read()[:40])] += 1
    except Exception as e: c[type(e).__name__] += 1
th = [threading.Thread(target=w, args=(i,)) for i in range(int(sys.argv[2]), int(sys.argv[3]) + 1)]
[t.start() for t in th]; [t.join() for t in th]
print('http spread', dict(c))
