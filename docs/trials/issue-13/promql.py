"""Issue 13 trial: every PromQL expression of alerts.yml and the Grafana dashboard against a real Prometheus.
Usage: promql.py PROMETHEUS_URL SHIPGATE_REPO JOB INSTANCE"""
import json, sys, urllib.request, urllib.parse, yaml
P, REPO, JOB, INSTANCE = sys.argv[1:5]
def q(expr):
    u=P+"/api/v1/query?"+urllib.parse.urlencode({"query":expr})
    try:
        d=json.load(urllib.request.urlopen(u))
    except urllib.error.HTTPError as e:
        return "ERROR "+e.read().decode()[:300]
    r=d["data"]["result"]
    if d["data"]["resultType"]=="scalar": return r
    return [({k:v for k,v in x["metric"].items() if k not in ("instance","job")}, x["value"][1]) for x in r]
print("== alerts.yml")
for g in yaml.safe_load(open(REPO + "/monitoring/prometheus/alerts.yml"))["groups"]:
    for r in g["rules"]:
        print(r["alert"], "→", q(r["expr"]))
print("== grafana")
d=json.load(open(REPO + "/monitoring/grafana/shipgate.json"))
panels=d["panels"]
for p in panels:
    for sub in [p]+p.get("panels",[]):
        for t in sub.get("targets",[]):
            e=t.get("expr")
            if not e: continue
            e2=e.replace("$job",JOB).replace("$instance",INSTANCE).replace("$__rate_interval","1m").replace("$__range","1h").replace("$__interval","15s")
            res=q(e2)
            print("[%s] %s\n   → %s" % (sub.get("title"), e.replace("\n"," ")[:160], str(res)[:400]))
